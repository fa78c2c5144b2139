using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>Small, null-tolerant accessors for Kubernetes objects held as JSON trees.</summary>
public static class Manifest
{
    public static string? ApiVersion(this JsonObject obj) => obj.Str("apiVersion");
    public static string? Kind(this JsonObject obj) => obj.Str("kind");
    public static JsonObject Metadata(this JsonObject obj) => obj.Obj("metadata");
    public static string Name(this JsonObject obj) => obj["metadata"].Str("name") ?? string.Empty;
    public static string? Namespace(this JsonObject obj) => obj["metadata"] is JsonObject m ? m.Str("namespace") : null;
    public static string? Uid(this JsonObject obj) => obj["metadata"] is JsonObject m ? m.Str("uid") : null;

    public static string Ref(this JsonObject obj) =>
        obj.Namespace() is { Length: > 0 } ns ? $"{obj.Kind()} {ns}/{obj.Name()}" : $"{obj.Kind()} {obj.Name()}";

    /// <summary>The string at a key, or null when absent or not a string.</summary>
    public static string? Str(this JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The scalar at a key rendered as a string (true -> "true"), or null.</summary>
    public static string? Scalar(this JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v
            ? v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => v.ToJsonString(),
                _ => null,
            }
            : null;

    /// <summary>Follows a path of keys; null when any step is missing.</summary>
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node;
    }

    /// <summary>The child object at a key, created when missing.</summary>
    public static JsonObject Obj(this JsonObject obj, string key)
    {
        if (obj[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        obj[key] = created;
        return created;
    }

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(obj.At("metadata", "labels"));
    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => StringMap(obj.At("metadata", "annotations"));

    public static string? Label(this JsonObject obj, string key) => obj.At("metadata", "labels").Scalar(key);
    public static string? Annotation(this JsonObject obj, string key) => obj.At("metadata", "annotations").Scalar(key);

    public static void SetLabel(this JsonObject obj, string key, string value) => obj.Metadata().Obj("labels")[key] = value;
    public static void SetAnnotation(this JsonObject obj, string key, string value) => obj.Metadata().Obj("annotations")[key] = value;

    public static void RemoveLabel(this JsonObject obj, string key) => RemoveAndPrune(obj, "labels", key);
    public static void RemoveAnnotation(this JsonObject obj, string key) => RemoveAndPrune(obj, "annotations", key);

    public static IReadOnlyList<JsonObject> OwnerReferences(this JsonObject obj) =>
        obj.At("metadata", "ownerReferences") is JsonArray refs ? refs.OfType<JsonObject>().ToList() : [];

    public static bool IsOwnedBy(this JsonObject obj, string? ownerUid) =>
        ownerUid is { Length: > 0 } && obj.OwnerReferences().Any(r => r.Str("uid") == ownerUid);

    public static JsonObject DeepCopy(this JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>
    /// The object as compact UTF-8 JSON, in its own key order: what the offline cluster and export's listings keep
    /// instead of parsed trees, parsing a fresh copy for every read.
    /// </summary>
    public static byte[] ToCompactUtf8(this JsonObject obj)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            obj.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A canonical JSON rendering (sorted keys) for hashing and equality.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteCanonical(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static JsonObject NewObject(ResourceKind kind, string name, string? ns)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null && kind.Namespaced)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = kind.ApiVersion, ["kind"] = kind.Kind, ["metadata"] = metadata };
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (key, _) in o)
            {
                if (o.Scalar(key) is { } value)
                {
                    map[key] = value;
                }
            }
        }

        return map;
    }

    private static void RemoveAndPrune(JsonObject obj, string mapName, string key)
    {
        if (obj["metadata"] is JsonObject metadata && metadata[mapName] is JsonObject map)
        {
            map.Remove(key);
            if (map.Count == 0)
            {
                metadata.Remove(mapName);
            }
        }
    }
}
