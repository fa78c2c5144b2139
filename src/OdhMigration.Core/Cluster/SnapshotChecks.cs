using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>What the snapshot loader checks on each object an API server would have checked for it.</summary>
public static class SnapshotChecks
{
    /// <summary>
    /// Fields every reader relies on having their Kubernetes type: a wrongly typed one (<c>metadata: hello</c>, a
    /// scalar spec) is refused here with the field's name, never met later as an exception.
    /// </summary>
    public static string? TypeProblem(JsonObject obj)
    {
        if (obj["metadata"] is { } metadata and not JsonObject)
        {
            return $"metadata is a {metadata.GetValueKind()}, not a mapping";
        }

        foreach (var field in new[] { "name", "namespace", "uid" })
        {
            if (obj["metadata"]?[field] is { } value && value.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                return $"metadata.{field} is a {value.GetValueKind()}, not a string";
            }
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (obj["metadata"]?[field] is { } value and not JsonObject)
            {
                return $"metadata.{field} is a {value.GetValueKind()}, not a mapping";
            }
        }

        if (obj["spec"] is { } spec and not JsonObject)
        {
            return $"spec is a {spec.GetValueKind()}, not a mapping";
        }

        return null;
    }

    /// <summary>The group of an apiVersion ("" for the core group): v1beta1 and v1 of one group name the same object.</summary>
    public static string Group(string? apiVersion) =>
        apiVersion is null ? "" : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>Whether a parsed JSON file holds a string or key over <see cref="YamlLimits.MaxScalarLength"/> (walked without recursion).</summary>
    public static bool HasOversizedString(JsonNode? root)
    {
        var pending = new Stack<JsonNode?>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key.Length > YamlLimits.MaxScalarLength)
                        {
                            return true;
                        }

                        pending.Push(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        pending.Push(item);
                    }

                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().Length > YamlLimits.MaxScalarLength:
                    return true;
            }
        }

        return false;
    }
}
