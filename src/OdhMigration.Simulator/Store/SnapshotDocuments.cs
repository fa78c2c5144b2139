using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// The documents of a snapshot file or folder for the simulator. A JSON file (<c>oc get -o json</c>) is read in one
/// Utf8JsonReader pass straight into the store's form (plain CLR values, as <see cref="ObjectMeta.Materialize(JsonObject)"/>
/// makes them): <c>JsonNode.Parse</c> builds a JsonDocument and JsonElement-backed nodes that the store then copied
/// once more, together about half of loading a 10,000-ISVC snapshot. Trees read this way belong to the store, which
/// takes them without a copy (<see cref="IsOwned"/>). A file the fast reader does not take (not a JSON object, too
/// deep, a duplicate key, an over-long string, a number out of range) goes through
/// <see cref="SnapshotLoader.ReadDocuments"/> as before, which also reports its errors as before.
/// </summary>
internal sealed class SnapshotDocuments
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private readonly ConditionalWeakTable<JsonNode, string> _owned = new();

    /// <summary>Whether <paramref name="obj"/> is part of a tree this reader built (and nobody else holds).</summary>
    public bool IsOwned(JsonObject obj) => _owned.TryGetValue(obj.Root, out _);

    public IEnumerable<YamlDocument> Read(string path)
    {
        foreach (var file in SnapshotLoader.ListFiles(path))
        {
            if (Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(file) && TryParse(File.ReadAllBytes(file)) is { } root)
            {
                _owned.Add(root, file);
                yield return new YamlDocument(root, file, 1);
                continue;
            }

            foreach (var document in SnapshotLoader.ReadDocuments(file))
            {
                yield return document;
            }
        }
    }

    /// <summary>The JSON object in <paramref name="utf8"/> with plain CLR values, or null to leave the file to the general reader.</summary>
    internal static JsonObject? TryParse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(Bom))
        {
            utf8 = utf8[Bom.Length..];
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = YamlLimits.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var root = ReadObject(ref reader);
            return root is not null && !reader.Read() ? root : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject? ReadObject(ref Utf8JsonReader reader)
    {
        var obj = new JsonObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (key.Length > YamlLimits.MaxScalarLength || obj.ContainsKey(key) || !reader.Read() || !TryReadValue(ref reader, out var value))
            {
                return null;
            }

            obj.Add(key, value);
        }

        return reader.TokenType == JsonTokenType.EndObject ? obj : null;
    }

    private static JsonArray? ReadArray(ref Utf8JsonReader reader)
    {
        var items = new List<JsonNode?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadValue(ref reader, out var item))
            {
                return null;
            }

            items.Add(item);
        }

        return new JsonArray([.. items]);
    }

    /// <summary>One value as Materialize would make it: strings, booleans, long when the number is an integer, else double; null for JSON null.</summary>
    private static bool TryReadValue(ref Utf8JsonReader reader, out JsonNode? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                value = ReadObject(ref reader);
                return value is not null;
            case JsonTokenType.StartArray:
                value = ReadArray(ref reader);
                return value is not null;
            case JsonTokenType.String:
                var text = reader.GetString()!;
                value = JsonValue.Create(text);
                return text.Length <= YamlLimits.MaxScalarLength;
            case JsonTokenType.Number when reader.TryGetInt64(out var integer):
                value = JsonValue.Create(integer);
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var real) && double.IsFinite(real):
                value = JsonValue.Create(real);
                return true;
            case JsonTokenType.True:
                value = JsonValue.Create(true);
                return true;
            case JsonTokenType.False:
                value = JsonValue.Create(false);
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false;
        }
    }
}
