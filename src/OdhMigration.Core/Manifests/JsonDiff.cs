using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>Leaf-level differences between two JSON trees, as "path: before -> after" lines for humans.</summary>
public static class JsonDiff
{
    public sealed record Difference(string Path, string? Before, string? After)
    {
        public override string ToString() => $"{Path}: {Before ?? "(unset)"} -> {After ?? "(unset)"}";
    }

    public static List<Difference> Leaves(JsonNode? before, JsonNode? after, string path = "")
    {
        var result = new List<Difference>();
        Walk(before, after, path, result);
        return result;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<Difference> into)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Walk(b[key], a[key], path.Length == 0 ? key : $"{path}.{key}", into);
            }

            return;
        }

        var beforeText = before?.ToJsonString();
        var afterText = after?.ToJsonString();
        if (beforeText != afterText)
        {
            into.Add(new Difference(path, Unquote(beforeText), Unquote(afterText)));
        }
    }

    private static string? Unquote(string? json) =>
        json is { Length: >= 2 } && json[0] == '"' && json[^1] == '"' ? json[1..^1] : json;
}
