using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Behaviours;
using OdhMigration.Simulator.Patching;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>The REST verbs on stored resources: get, list, create, update, patch, delete, deletecollection.</summary>
internal sealed class ResourceHandlers(ObjectStore store, AccessReviewer access, TimeProvider clock)
{
    /// <summary>Server-side printing for <c>as=Table</c> requests.</summary>
    public required TableConverter Tables { get; init; }

    public async Task HandleAsync(HttpContext context, RequestInfo info, CancellationToken cancellationToken)
    {
        var kind = info.Kind!;
        if (info.Subresource is not null and not "status" && !(info.Subresource == NamespaceLifecycle.FinalizeSubresource && NamespaceLifecycle.IsNamespace(kind) && info.Verb == "update"))
        {
            throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({info.Subresource} of {kind.GroupResource})");
        }

        if (KindRegistry.IsVirtual(kind))
        {
            if (info.Verb != "create")
            {
                throw ApiException.MethodNotAllowed($"{kind.GroupResource} only supports create");
            }

            var review = HttpJson.ParseObject(await HttpJson.ReadBodyAsync(context, cancellationToken));
            await HttpJson.WriteAsync(context, 201, SelfReviews.Answer(kind, review, access.Rules) ?? access.Review(review), cancellationToken);
            return;
        }

        var query = context.Request.Query;
        var table = TableConverter.Wanted(context.Request.Headers.Accept.ToString());
        switch (info.Verb)
        {
            case "get":
                var obj = store.Get(kind, info.Namespace, info.Name!);
                await HttpJson.WriteAsync(context, 200, table ? Tables.Build(kind, [obj], new JsonObject { ["resourceVersion"] = ObjectMeta(obj) }, clock.GetUtcNow(), TableConverter.IncludeObject(query["includeObject"])) : obj, cancellationToken);
                break;
            case "list":
                await ListAsync(context, kind, info, table, cancellationToken);
                break;
            case "create":
                var createWrite = Write(context, "Update", null);
                var created = store.Create(kind, info.Namespace, HttpJson.ParseObject(await HttpJson.ReadBodyAsync(context, cancellationToken)), createWrite);
                await WriteResultAsync(context, 201, created, createWrite, cancellationToken);
                break;
            case "update":
                var updateWrite = Write(context, "Update", info.Subresource);
                var updated = store.Update(kind, info.Namespace, info.Name!, HttpJson.ParseObject(await HttpJson.ReadBodyAsync(context, cancellationToken)), updateWrite);
                await WriteResultAsync(context, 200, updated, updateWrite, cancellationToken);
                break;
            case "patch":
                await PatchAsync(context, kind, info, cancellationToken);
                break;
            case "delete":
                var result = store.Delete(kind, info.Namespace, info.Name!, await DeleteRequestAsync(context, cancellationToken));
                await HttpJson.WriteAsync(context, 200, result.Object, cancellationToken);
                break;
            case "deletecollection":
                var request = await DeleteRequestAsync(context, cancellationToken);
                var victims = store.List(kind, ListFromQuery(query, info.Namespace) with { Limit = 0, Continue = null });
                var deleted = new JsonArray();
                foreach (var victim in victims.Items)
                {
                    try
                    {
                        deleted.Add((JsonNode)store.Delete(kind, victim.Namespace(), victim.Name(), request).Object);
                    }
                    catch (ApiException ex) when (ex.Code == 404)
                    {
                        // deleted concurrently: nothing left to do
                    }
                }

                await HttpJson.WriteAsync(context, 200, new JsonObject { ["apiVersion"] = kind.ApiVersion, ["kind"] = kind.Kind + "List", ["metadata"] = new JsonObject { ["resourceVersion"] = store.ResourceVersion.ToString(CultureInfo.InvariantCulture) }, ["items"] = deleted }, cancellationToken);
                break;
            default:
                throw ApiException.MethodNotAllowed($"verb {info.Verb} is not supported on {kind.GroupResource}");
        }
    }

    public static ListRequest ListFromQuery(IQueryCollection query, string? ns)
    {
        LabelSelector labels;
        try
        {
            SelectorSyntax.Validate(query["labelSelector"].ToString());
            labels = LabelSelector.Parse(query["labelSelector"].ToString());
        }
        catch (FormatException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }

        var limit = 0;
        if (query["limit"].ToString() is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            throw ApiException.BadRequest($"invalid limit '{text}'");
        }

        return new ListRequest(ns, labels, FieldFilter.Parse(query["fieldSelector"].ToString()), limit, query["continue"].ToString() is { Length: > 0 } c ? c : null);
    }

    private async Task ListAsync(HttpContext context, ResourceKind kind, RequestInfo info, bool table, CancellationToken cancellationToken)
    {
        var request = ListFromQuery(context.Request.Query, info.Namespace);
        if (table)
        {
            var page = store.List(kind, request);
            await HttpJson.WriteAsync(context, 200, Tables.Build(kind, page.Items, ListMetadata(page.ResourceVersion, page.Continue, page.RemainingItemCount), clock.GetUtcNow(), TableConverter.IncludeObject(context.Request.Query["includeObject"])), cancellationToken);
            return;
        }

        // Items are written as the store's cached JSON; building a JsonArray of copies would dominate large lists.
        var raw = store.ListRaw(kind, request);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", kind.ApiVersion);
            writer.WriteString("kind", kind.Kind + "List");
            writer.WritePropertyName("metadata");
            ListMetadata(raw.ResourceVersion, raw.Continue, raw.RemainingItemCount).WriteTo(writer);
            writer.WriteStartArray("items");
            foreach (var item in raw.Items)
            {
                writer.WriteRawValue(item, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    private static JsonObject ListMetadata(long resourceVersion, string? next, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        if (remaining is { } count)
        {
            metadata["remainingItemCount"] = count;
        }

        return metadata;
    }

    private async Task PatchAsync(HttpContext context, ResourceKind kind, RequestInfo info, CancellationToken cancellationToken)
    {
        var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var body = await HttpJson.ReadBodyAsync(context, cancellationToken);
        if (contentType == "application/apply-patch+yaml")
        {
            var applied = HttpJson.ParseObject(body, allowYaml: true);
            var write = Write(context, "Apply", info.Subresource) with { PatchType = PatchTypes.Apply };
            if (string.IsNullOrEmpty(write.FieldManager) || context.Request.Query["fieldManager"].ToString().Length == 0)
            {
                throw ApiException.BadRequest("PATCH " + context.Request.Path + ": fieldManager is required for apply requests");
            }

            if (applied.Name() is { Length: > 0 } appliedName && appliedName != info.Name)
            {
                throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({info.Name})");
            }

            applied.Metadata()["name"] = info.Name;
            var (result, created) = store.Apply(kind, info.Namespace, info.Name!, applied, write);
            await WriteResultAsync(context, created ? 201 : 200, result, write, cancellationToken);
            return;
        }

        if (contentType == PatchTypes.Strategic && KindRegistry.IsCustomResource(kind))
        {
            // Custom resources have no Go types to carry patch strategies (apiextensions-apiserver crdHandler).
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        Func<JsonObject, JsonObject> change = contentType switch
        {
            "application/merge-patch+json" => live => AsObject(MergePatch.Apply(live, HttpJson.ParseBody(body, false))),
            "application/strategic-merge-patch+json" => live => AsObject(StrategicMergePatch.Apply(live, HttpJson.ParseBody(body, false))),
            "application/json-patch+json" => live => AsObject(JsonPatch.Apply(live, HttpJson.ParseBody(body, false))),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        var patchWrite = Write(context, "Update", info.Subresource) with { PatchType = contentType };
        var (patched, _) = store.Patch(kind, info.Namespace, info.Name!, live => change(live!), patchWrite);
        await WriteResultAsync(context, 200, patched, patchWrite, cancellationToken);
    }

    private static JsonObject AsObject(JsonNode? node) => node as JsonObject ?? throw ApiException.BadRequest("the patch result is not an object");

    private static WriteContext Write(HttpContext context, string operation, string? subresource)
    {
        var query = context.Request.Query;
        var dryRun = query["dryRun"].ToString();
        if (dryRun.Length > 0 && dryRun != "All")
        {
            throw ApiException.BadRequest($"unsupported dryRun value '{dryRun}' (only All)");
        }

        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            // The API server derives a manager from the user agent's product token when none is given.
            manager = context.Request.Headers.UserAgent.ToString().Split('/')[0].Trim();
            manager = manager.Length == 0 ? "unknown" : manager[..Math.Min(manager.Length, 128)];
        }

        return new WriteContext(dryRun == "All", manager, subresource, operation, query["force"].ToString() == "true", FieldValidationOf(query), Warnings: []);
    }

    /// <summary>
    /// The fieldValidation directive; absent means Warn, as on an API server with server-side field validation
    /// (k8s.io/apiserver pkg/endpoints/handlers/rest.go fieldValidation).
    /// </summary>
    private static string FieldValidationOf(IQueryCollection query)
    {
        var value = query["fieldValidation"].ToString();
        return value switch
        {
            "" => FieldValidationDirective.Warn,
            FieldValidationDirective.Strict or FieldValidationDirective.Warn or FieldValidationDirective.Ignore => value,
            _ => throw ApiException.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \"{value}\""),
        };
    }

    /// <summary>Writes a write's result with its warnings as <c>Warning: 299 - "..."</c> headers, as the API server does.</summary>
    private static Task WriteResultAsync(HttpContext context, int status, JsonObject body, WriteContext write, CancellationToken cancellationToken)
    {
        foreach (var warning in write.Warnings ?? [])
        {
            context.Response.Headers.Append("Warning", "299 - " + Schema.FieldError.Quote(warning));
        }

        return HttpJson.WriteAsync(context, status, body, cancellationToken);
    }

    private static async Task<DeleteRequest> DeleteRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var body = await HttpJson.ReadBodyAsync(context, cancellationToken);
        var options = string.IsNullOrWhiteSpace(body) ? [] : HttpJson.ParseObject(body);
        var dryRun = query["dryRun"].ToString() == "All" || (options["dryRun"] as JsonArray)?.Any(d => d?.ToString() == "All") == true;
        var policy = options.Str("propagationPolicy") ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null);
        if (policy is null && (options["orphanDependents"]?.GetValueKind() == System.Text.Json.JsonValueKind.True || query["orphanDependents"].ToString() == "true"))
        {
            policy = "Orphan";
        }

        policy ??= "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw ApiException.BadRequest($"propagationPolicy '{policy}' is not one of Background, Foreground, Orphan");
        }

        return new DeleteRequest(dryRun, policy, options.At("preconditions", "uid")?.ToString(), options.At("preconditions", "resourceVersion")?.ToString());
    }

    private static string ObjectMeta(JsonObject obj) => obj.At("metadata", "resourceVersion")?.ToString() ?? "0";
}
