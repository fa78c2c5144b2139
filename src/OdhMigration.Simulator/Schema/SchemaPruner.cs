using System.Globalization;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// Drops what a structural schema does not declare, as the API server does before it stores a custom resource
/// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go), and non-nullable nulls
/// (pkg/apiserver/schema/defaulting/prunenulls.go). Unknown fields are reported by path ("spec.predictor.foo",
/// "spec.containers[0].bar") for <c>fieldValidation</c>. <c>x-kubernetes-preserve-unknown-fields</c> and
/// <c>additionalProperties: true</c> keep unknown keys; known properties below them are still pruned.
/// metadata is pruned to ObjectMeta's fields at the root and in embedded resources.
/// </summary>
public static class SchemaPruner
{
    private static readonly HashSet<string> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    };

    /// <summary>Prunes an object (the root of a custom resource) in place and returns the unknown fields it dropped.</summary>
    public static List<string> PruneRoot(JsonObject obj, StructuralSchema schema)
    {
        var unknown = new List<string>();
        PruneObject(obj, schema, string.Empty, unknown, isResource: true);
        return unknown;
    }

    private static void Prune(JsonNode? node, StructuralSchema schema, string path, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, path, unknown, schema.EmbeddedResource);
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", unknown);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, StructuralSchema schema, string path, List<string> unknown, bool isResource)
    {
        List<string>? drop = null;
        foreach (var (key, value) in obj)
        {
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (isResource && key is "apiVersion" or "kind")
            {
                continue;
            }

            if (isResource && key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    PruneMetadata(metadata, childPath, unknown);
                }

                continue;
            }

            var child = schema.Properties is { } properties && properties.TryGetValue(key, out var declared) ? declared : schema.AdditionalProperties;
            if (child is not null)
            {
                if (value is null && !child.Nullable)
                {
                    (drop ??= []).Add(key);
                }
                else
                {
                    Prune(value, child, childPath, unknown);
                }

                continue;
            }

            if (!schema.KeepsUnknownFields)
            {
                (drop ??= []).Add(key);
                unknown.Add(childPath);
            }
        }

        foreach (var key in drop ?? [])
        {
            obj.Remove(key);
        }
    }

    private static void PruneMetadata(JsonObject metadata, string path, List<string> unknown)
    {
        foreach (var key in metadata.Select(p => p.Key).Where(k => !ObjectMetaFields.Contains(k)).ToList())
        {
            metadata.Remove(key);
            unknown.Add(path + "." + key);
        }
    }
}
