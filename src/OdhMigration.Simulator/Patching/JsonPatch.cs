using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Patching;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test, with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json patch must be an array of operations");
        }

        foreach (var op in operations)
        {
            if (op is not JsonObject operation)
            {
                throw ApiException.BadRequest("json patch operation must be an object");
            }

            var kind = operation.Str("op");
            var path = operation.Str("path") ?? throw ApiException.BadRequest($"json patch '{kind}' without path");
            switch (kind)
            {
                case "add":
                    target = Add(target, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    target = Remove(target, path, out _);
                    break;
                case "replace":
                    target = Remove(target, path, out _);
                    target = Add(target, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    target = Remove(target, operation.Str("from") ?? throw ApiException.BadRequest("json patch 'move' without from"), out var moved);
                    target = Add(target, path, moved);
                    break;
                case "copy":
                    var source = Resolve(target, operation.Str("from") ?? throw ApiException.BadRequest("json patch 'copy' without from"));
                    target = Add(target, path, source?.DeepClone());
                    break;
                case "test":
                    var actual = Resolve(target, path);
                    if (Manifest.Canonical(actual) != Manifest.Canonical(operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: test operation failed at {path}");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"unknown json patch operation '{kind}'");
            }
        }

        return target;
    }

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (!path.StartsWith('/'))
        {
            throw ApiException.BadRequest($"json patch path '{path}' must start with '/'");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Resolve(JsonNode? node, string path) => Resolve(node, Tokens(path), path);

    private static JsonNode? Resolve(JsonNode? node, IEnumerable<string> tokens, string path)
    {
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {path} not found"),
            };
        }

        return node;
    }

    private static JsonNode Add(JsonNode target, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value ?? throw ApiException.BadRequest("json patch cannot replace the document with null");
        }

        var parent = Resolve(target, tokens[..^1], path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {path}");
        }

        return target;
    }

    private static JsonNode Remove(JsonNode target, string path, out JsonNode? removed)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("json patch cannot remove the whole document");
        }

        var parent = Resolve(target, tokens[..^1], path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                removed = o[last];
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: unable to remove nonexistent key at {path}");
        }

        removed = removed?.DeepClone();
        return target;
    }
}
