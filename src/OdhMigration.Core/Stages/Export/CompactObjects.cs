using System.Buffers;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// A listing kept as compact JSON: every read parses a fresh, independent copy, and nothing read stays in memory.
/// Export joins tens of thousands of objects of one namespace; holding them as parsed nodes (with the metadata the
/// indexes read materialised) cost several times their size, and the copies are each read only once or twice.
/// Fresh copies also make concurrent readers safe: no two of them ever share a lazily materialising node.
/// </summary>
public sealed class CompactObjects : IReadOnlyList<JsonObject>
{
    private readonly byte[][] _items;

    private CompactObjects(byte[][] items) => _items = items;

    public static CompactObjects From(IReadOnlyList<JsonObject> objects)
    {
        var items = new byte[objects.Count][];
        var buffer = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < objects.Count; i++)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                objects[i].WriteTo(writer);
            }

            items[i] = buffer.WrittenSpan.ToArray();
        }

        return new CompactObjects(items);
    }

    public int Count => _items.Length;

    public JsonObject this[int index] => JsonNode.Parse(_items[index])!.AsObject();

    public IEnumerator<JsonObject> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
