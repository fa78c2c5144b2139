using System.Collections;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

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

    public static CompactObjects From(IReadOnlyList<JsonObject> objects) =>
        new(objects.Select(o => o.ToCompactUtf8()).ToArray());

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
