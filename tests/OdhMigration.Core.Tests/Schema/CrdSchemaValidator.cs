using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;
using OdhMigration.Core.Manifests;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Schema;

/// <summary>
/// Validates objects against the openAPIV3Schema of a real CRD (shared/crds/...). The structural-schema extensions
/// are turned into plain JSON Schema: x-kubernetes-int-or-string drops type/anyOf/pattern, nullable admits null, and (strict,
/// the default) every object schema with properties and no x-kubernetes-preserve-unknown-fields gets
/// additionalProperties: false, because the API server would silently prune such fields.
/// </summary>
public static class CrdSchemaValidator
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new();

    // JsonSchema.Net builds a schema's constraint tree lazily on first evaluation and that build is not thread-safe:
    // two test classes evaluating the same cached schema at once once produced a tree without additionalProperties,
    // so a pruned field passed. Evaluations are cheap; serialising them removes the race.
    private static readonly Lock EvaluationLock = new();

    /// <summary>CRD folder under shared/crds, e.g. "kserve/odh-stable-2.x".</summary>
    public static IReadOnlyList<string> Validate(string crdFolder, JsonObject obj, bool strict = true)
    {
        var schema = SchemaFor(crdFolder, obj.ApiVersion()!, obj.Kind()!, strict);
        EvaluationResults results;
        lock (EvaluationLock)
        {
            results = schema.Evaluate(obj, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }

        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{obj.Kind()} {obj.Name()} {d.InstanceLocation}: {e.Value}"))
            .Distinct()
            .ToList();
    }

    public static JsonSchema SchemaFor(string crdFolder, string apiVersion, string kind, bool strict = true) =>
        Cache.GetOrAdd($"{crdFolder}|{apiVersion}|{kind}|{strict}", _ => Load(crdFolder, apiVersion, kind, strict));

    private static JsonSchema Load(string crdFolder, string apiVersion, string kind, bool strict)
    {
        var dir = Path.Combine(RepoPaths.Shared, "crds", crdFolder);
        var (group, version) = apiVersion.Contains('/', StringComparison.Ordinal) ? (apiVersion.Split('/')[0], apiVersion.Split('/')[1]) : ("", apiVersion);
        foreach (var file in Directory.GetFiles(dir, "*.yaml"))
        {
            foreach (var doc in Yaml.ParseDocuments(File.ReadAllText(file), file))
            {
                if (doc.Root is not JsonObject crd || crd.At("spec").Str("group") != group || crd.At("spec", "names").Str("kind") != kind)
                {
                    continue;
                }

                var versionSchema = (crd.At("spec", "versions") as JsonArray)?.OfType<JsonObject>()
                    .FirstOrDefault(v => v.Str("name") == version)?.At("schema", "openAPIV3Schema")
                    ?? throw new InvalidOperationException($"{file}: no openAPIV3Schema for version {version}");
                var relaxed = Relax(versionSchema.DeepClone(), strict);
                return JsonSchema.FromText(relaxed.ToJsonString());
            }
        }

        throw new InvalidOperationException($"no CRD for {apiVersion} {kind} in {dir}");
    }

    private static JsonNode Relax(JsonNode node, bool strict)
    {
        if (node is JsonObject obj)
        {
            if (obj["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
            {
                // Quantities such as cpu: 0.1 arrive as JSON numbers; the API server accepts them.
                obj.Remove("type");
                obj.Remove("anyOf");
                obj.Remove("pattern");
            }

            if (obj["nullable"]?.GetValue<bool>() == true && obj["type"] is JsonValue type)
            {
                obj["type"] = new JsonArray(type.GetValue<string>(), "null");
            }

            var preserve = obj["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal) || k == "nullable").ToList())
            {
                obj.Remove(key);
            }

            if (strict && !preserve && obj["properties"] is JsonObject && obj["additionalProperties"] is null)
            {
                obj["additionalProperties"] = false;
            }

            foreach (var (_, child) in obj.ToList())
            {
                if (child is not null)
                {
                    Relax(child, strict);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                if (child is not null)
                {
                    Relax(child, strict);
                }
            }
        }

        return node;
    }
}
