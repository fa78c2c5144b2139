using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Discovery;

/// <summary>
/// <c>/openapi/v2</c> (Swagger 2.0, JSON only) and <c>/openapi/v3</c> (the index of group-version documents with
/// <c>serverRelativeURL</c>s carrying a content hash, and <c>/openapi/v3/apis/&lt;group&gt;/&lt;version&gt;</c>),
/// built from the served kinds' schemas (<see cref="OpenApiSchemas"/>), so <c>kubectl explain</c> works. Each item
/// path has a GET and a PATCH operation tagged with <c>x-kubernetes-group-version-kind</c>; the PATCH lists the
/// <c>fieldValidation</c> parameter, which is how kubectl (create/apply with the default --validate=strict) learns it
/// may leave validation to the server. Kinds are fixed when the simulator starts, so every document is built once.
/// </summary>
internal sealed class OpenApiDocuments(KindRegistry kinds, CrdSchemas crds)
{
    private readonly ConcurrentDictionary<string, Lazy<string?>> _documents = new(StringComparer.Ordinal);

    /// <summary>The document at <paramref name="path"/> as JSON, or null when none is served there.</summary>
    public string? For(string path)
    {
        var trimmed = path.Trim('/');
        return _documents.GetOrAdd(trimmed, key => new Lazy<string?>(() => Build(key))).Value;
    }

    private string? Build(string path)
    {
        if (path == "openapi/v2")
        {
            return V2().ToJsonString();
        }

        if (path == "openapi/v3")
        {
            var paths = new JsonObject();
            foreach (var gv in Served().Select(GroupVersionPath).Distinct())
            {
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(For($"openapi/v3/{gv}")!)));
                paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={hash}" };
            }

            return new JsonObject { ["paths"] = paths }.ToJsonString();
        }

        if (!path.StartsWith("openapi/v3/", StringComparison.Ordinal))
        {
            return null;
        }

        var groupVersion = path["openapi/v3/".Length..];
        var served = Served().Where(k => GroupVersionPath(k) == groupVersion).ToList();
        return served.Count == 0 ? null : V3(served).ToJsonString();
    }

    private IEnumerable<ResourceKind> Served() => kinds.All.Where(k => !KindRegistry.IsVirtual(k));

    private JsonObject V3(IReadOnlyList<ResourceKind> served)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject { [OpenApiSchemas.ObjectMetaName] = OpenApiSchemas.ObjectMeta() };
        foreach (var kind in served)
        {
            var name = OpenApiSchemas.DefinitionName(kind);
            schemas[name] = OpenApiSchemas.Definition(kind, crds, v2: false);
            var response = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" } } },
            };
            paths[ItemPath(kind)] = new JsonObject
            {
                ["get"] = Operation("read", kind, [], response),
                ["patch"] = Operation("patch", kind, [QueryV3("dryRun"), QueryV3("fieldManager"), QueryV3("fieldValidation"), QueryV3("force")], response.DeepClone()),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.30.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private JsonObject V2()
    {
        var paths = new JsonObject();
        var definitions = new JsonObject { [OpenApiSchemas.ObjectMetaName] = OpenApiSchemas.ObjectMeta() };
        foreach (var kind in Served())
        {
            var name = OpenApiSchemas.DefinitionName(kind);
            definitions[name] = OpenApiSchemas.Definition(kind, crds, v2: true);
            var responses = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK", ["schema"] = new JsonObject { ["$ref"] = $"#/definitions/{name}" } } };
            paths[ItemPath(kind)] = new JsonObject
            {
                ["get"] = Operation("read", kind, [], null, responses),
                ["patch"] = Operation("patch", kind, [QueryV2("dryRun"), QueryV2("fieldManager"), QueryV2("fieldValidation"), QueryV2("force")], null, responses.DeepClone()),
            };
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.30.0" },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    private static JsonObject Operation(string action, ResourceKind kind, JsonNode[] parameters, JsonNode? v3Response, JsonNode? v2Responses = null) => new()
    {
        ["operationId"] = $"{action}{kind.Kind}",
        ["x-kubernetes-action"] = action == "read" ? "get" : action,
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = kind.Group, ["version"] = kind.Version, ["kind"] = kind.Kind },
        ["parameters"] = new JsonArray(parameters),
        ["responses"] = v2Responses ?? new JsonObject { ["200"] = v3Response },
    };

    private static string ItemPath(ResourceKind kind) => kind.Namespaced ? kind.ItemPath("{namespace}", "{name}") : kind.ItemPath(null, "{name}");

    private static string GroupVersionPath(ResourceKind kind) => kind.Group.Length == 0 ? $"api/{kind.Version}" : $"apis/{kind.Group}/{kind.Version}";

    private static JsonObject QueryV3(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject QueryV2(string name) => new() { ["name"] = name, ["in"] = "query", ["type"] = "string", ["uniqueItems"] = true };
}
