using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>What a list or watch asks for: namespace (null = all), selectors and a page.</summary>
public sealed record ListRequest(string? Namespace, LabelSelector Labels, FieldFilter Fields, int Limit = 0, string? Continue = null)
{
    public static ListRequest All(string? ns = null) => new(ns, LabelSelector.Everything, FieldFilter.Everything);

    public bool Matches(string? ns, string name, IReadOnlyDictionary<string, string> labels) =>
        (Namespace is null || Namespace == ns) && Fields.Matches(ns, name) && Labels.Matches(labels);
}

/// <summary>One page of a list. <see cref="Continue"/> is null on the last page.</summary>
public sealed record ListResult(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>One page of a list with each item as UTF-8 JSON, ready to write into a response.</summary>
public sealed record RawListResult(IReadOnlyList<byte[]> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>
/// The opaque continue token: the key of the last item returned plus the list's resourceVersion, base64 encoded
/// like the API server's. Later pages continue after that key, so every item is returned exactly once.
/// </summary>
public static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = lastKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long ResourceVersion, string LastKey) Decode(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest("invalid continue token: continue key is not valid: " + ex.Message);
        }
    }
}
