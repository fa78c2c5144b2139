using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Transform.ModelMesh;

namespace OdhMigration.Core.Tests.Schema;

/// <summary>
/// Validates generated objects against the real CRD schemas in ../shared/crds. Object schemas that list their
/// properties are closed (additionalProperties: false) unless the CRD preserves unknown fields: the API server
/// would silently prune an unknown field, which for a migration means silently losing configuration.
/// </summary>
public static class ModelMeshSchemaChecks
{
    public static readonly string[] KServeCrdSets = ["odh-stable-2.x", "odh-master"];

    private static readonly ConcurrentDictionary<string, JsonSchema?> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Validate(JsonObject obj, string crdSet)
    {
        var file = obj.Kind() switch
        {
            "InferenceService" => "serving.kserve.io_inferenceservices.yaml",
            "ServingRuntime" => "serving.kserve.io_servingruntimes.yaml",
            _ => null,
        };
        if (file is null)
        {
            return [];
        }

        var version = obj.ApiVersion()!.Split('/')[^1];
        var schema = Cache.GetOrAdd($"{crdSet}/{file}/{version}", _ => Load(Path.Combine(ModelMeshTestPaths.Shared, "crds", "kserve", crdSet, file), version));
        if (schema is null)
        {
            return [$"{crdSet}: {obj.Kind()} version {version} is not served"];
        }

        var result = schema.Evaluate(JsonNode.Parse(obj.ToJsonString()), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{crdSet}: {obj.Kind()} {obj.Name()} {d.InstanceLocation}: {e.Value}")).Distinct().ToList();
    }

    private static JsonSchema? Load(string path, string version)
    {
        var crd = (JsonObject)Yaml.ParseDocuments(File.ReadAllText(path), path).First(d => d.Root is JsonObject o && o.Kind() == "CustomResourceDefinition").Root!;
        var served = (crd.At("spec", "versions") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => v.Str("name") == version);
        if (served?.At("schema", "openAPIV3Schema") is not JsonObject schema)
        {
            return null;
        }

        var copy = (JsonObject)schema.DeepClone();
        Close(copy);
        return JsonSchema.FromText(copy.ToJsonString());
    }

    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject && obj["additionalProperties"] is null && obj["x-kubernetes-preserve-unknown-fields"] is null)
                {
                    obj["additionalProperties"] = false;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Close(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Close(child);
                }

                break;
        }
    }
}
