using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching.Ownership;

/// <summary>
/// Merging an applied configuration into the live object and removing what its manager no longer applies
/// (structured-merge-diff typed/merge.go and merge/update.go prune): maps merge field by field, associative lists
/// item by item on their keys, sets by value, everything else (scalars, atomic lists and maps) is replaced.
/// </summary>
internal static class ApplyMerge
{
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, FieldType type, string path)
    {
        if (live is JsonObject l && applied is JsonObject a && !type.AtomicMap)
        {
            var result = (JsonObject)l.DeepClone();
            foreach (var (key, value) in a)
            {
                result[key] = Merge(l.TryGetPropertyValue(key, out var old) ? old : null, value, type.Field(key), FieldPaths.Join(path, FieldPaths.Field(key)));
            }

            return result;
        }

        if (live is JsonArray la && applied is JsonArray aa && type.List != ListKind.Atomic)
        {
            return MergeList(la, aa, type, path);
        }

        return applied?.DeepClone();
    }

    /// <summary>
    /// Items keep the applied order; live items the configuration does not name stay where they were relative to
    /// the items around them (typed/merge.go visitListItems).
    /// </summary>
    private static JsonArray MergeList(JsonArray live, JsonArray applied, FieldType type, string path)
    {
        var left = FieldSets.Items(live, type, path, strict: false);
        var right = FieldSets.Items(applied, type, path, strict: true);
        var leftByKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (element, item) in left)
        {
            leftByKey.TryAdd(element, item);
        }

        var rightKeys = right.Select(r => r.Element).ToHashSet(StringComparer.Ordinal);
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();
        int li = 0, ri = 0;
        while (li < left.Count || ri < right.Count)
        {
            if (li < left.Count && emitted.Contains(left[li].Element))
            {
                li++;
            }
            else if (li < left.Count && ri < right.Count && left[li].Element == right[ri].Element)
            {
                li++;
                EmitRight();
            }
            else if (li < left.Count && (ri >= right.Count || !rightKeys.Contains(left[li].Element)))
            {
                emitted.Add(left[li].Element);
                result.Add(left[li].Item?.DeepClone());
                li++;
            }
            else
            {
                EmitRight(); // the live item at li comes later in the configuration: it is placed when reached there
            }
        }

        return result;

        void EmitRight()
        {
            var (element, item) = right[ri++];
            emitted.Add(element);
            var merged = type.List == ListKind.Map && leftByKey.TryGetValue(element, out var old)
                ? Merge(old, item, type.Items, FieldPaths.Join(path, element))
                : item?.DeepClone();
            result.Add(merged);
        }
    }

    /// <summary>
    /// Removes from <paramref name="node"/> the paths in <paramref name="remove"/> (what the manager applied last time
    /// and nobody owns now). Children of a removed map that the manager never set stay; a map or list left empty by
    /// the removal goes too; a list item that keeps an owned field keeps its key fields.
    /// </summary>
    public static void Prune(JsonNode node, FieldType type, string path, HashSet<string> remove, HashSet<string> removePrefixes)
    {
        if (node is JsonObject obj && !type.AtomicMap)
        {
            foreach (var (key, child) in obj.ToList())
            {
                var childPath = FieldPaths.Join(path, FieldPaths.Field(key));
                if (Remove(child, type.Field(key), childPath, remove, removePrefixes))
                {
                    obj.Remove(key);
                }
            }
        }
        else if (node is JsonArray list && type.List != ListKind.Atomic)
        {
            var items = FieldSets.Items(list, type, path, strict: false);
            for (var i = items.Count - 1; i >= 0; i--)
            {
                var (element, item) = items[i];
                var itemPath = FieldPaths.Join(path, element);
                var keys = type.List == ListKind.Map && item is JsonObject o ? type.Keys(list).Where(k => o.ContainsKey(k.Name)).Select(k => (k.Name, o[k.Name]!.DeepClone())).ToList() : [];
                if (Remove(item, type.List == ListKind.Map ? type.Items : DeducedType.Instance, itemPath, remove, removePrefixes))
                {
                    list.RemoveAt(i);
                }
                else if (item is JsonObject kept)
                {
                    foreach (var (name, value) in keys)
                    {
                        kept[name] ??= value;
                    }
                }
            }
        }
    }

    private static bool Remove(JsonNode? child, FieldType type, string path, HashSet<string> remove, HashSet<string> removePrefixes)
    {
        var container = (child is JsonObject && !type.AtomicMap) || (child is JsonArray && type.List != ListKind.Atomic);
        if (!container)
        {
            return remove.Contains(path);
        }

        if (!remove.Contains(path) && !removePrefixes.Contains(path))
        {
            return false;
        }

        var before = Count(child!);
        Prune(child!, type, path, remove, removePrefixes);
        var after = Count(child!);
        return after == 0 && (before > 0 || remove.Contains(path));
    }

    private static int Count(JsonNode node) => node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 1,
    };

    /// <summary>Every proper prefix of the given paths, to find the nodes worth descending into.</summary>
    public static HashSet<string> Prefixes(IEnumerable<string> paths)
    {
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            for (var i = path.IndexOf(FieldPaths.Separator, StringComparison.Ordinal); i >= 0; i = path.IndexOf(FieldPaths.Separator, i + 1))
            {
                prefixes.Add(path[..i]);
            }
        }

        return prefixes;
    }
}
