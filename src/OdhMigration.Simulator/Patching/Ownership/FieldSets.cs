using System.Text.Json.Nodes;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Patching.Ownership;

/// <summary>What changed between two versions of an object, as paths (structured-merge-diff typed/compare.go Comparison).</summary>
internal sealed record Comparison(HashSet<string> Added, HashSet<string> Modified, HashSet<string> Removed)
{
    public bool IsSame => Added.Count == 0 && Modified.Count == 0 && Removed.Count == 0;
}

/// <summary>
/// Field sets of typed values (structured-merge-diff typed/tofieldset.go, typed/compare.go) and their FieldsV1
/// encoding (fieldpath/serialize.go). A set holds every leaf (scalars, atomic lists and maps, set items) and every
/// associative list item; a comparison also holds the maps and lists that appeared or went.
/// </summary>
internal static class FieldSets
{
    /// <summary>The fields an applied configuration sets. Items of associative lists must carry their key fields.</summary>
    public static HashSet<string> Of(JsonObject value, FieldType type)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        Walk(value, type, string.Empty, set, strict: true);
        return set;
    }

    private static void Walk(JsonNode? value, FieldType type, string path, HashSet<string> set, bool strict)
    {
        switch (value)
        {
            case JsonObject obj when !type.AtomicMap:
                foreach (var (key, child) in obj)
                {
                    Walk(child, type.Field(key), FieldPaths.Join(path, FieldPaths.Field(key)), set, strict);
                }

                break;
            case JsonArray list when type.List != ListKind.Atomic:
                var items = Items(list, type, path, strict);
                foreach (var (element, item) in items)
                {
                    var itemPath = FieldPaths.Join(path, element);
                    set.Add(itemPath);
                    if (type.List == ListKind.Map)
                    {
                        Walk(item, type.Items, itemPath, set, strict);
                    }
                }

                break;
            default:
                if (path.Length > 0)
                {
                    set.Add(path);
                }

                break;
        }
    }

    /// <summary>Each item of a set or associative list with its path element; items without their key fields get an index (only live data, never an applied configuration).</summary>
    public static List<(string Element, JsonNode? Item)> Items(JsonArray list, FieldType type, string path, bool strict)
    {
        var keys = type.List == ListKind.Map ? type.Keys(list) : [];
        var result = new List<(string, JsonNode?)>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            if (type.List == ListKind.Set)
            {
                result.Add((FieldPaths.Value(item), item));
                continue;
            }

            var fields = new List<KeyValuePair<string, JsonNode?>>(keys.Count);
            foreach (var (name, fallback) in keys)
            {
                var value = (item as JsonObject)?[name] ?? fallback;
                if (value is null)
                {
                    if (strict)
                    {
                        throw new ApiException(500, string.Empty, $"{FieldPaths.Describe(path)}: element {i}: associative list with keys has an element that omits key field \"{name}\" (and doesn't have default value)");
                    }

                    fields.Clear();
                    break;
                }

                fields.Add(new(name, value));
            }

            result.Add((fields.Count == 0 ? FieldPaths.Index(i) : FieldPaths.Key(fields), item));
        }

        return result;
    }

    /// <summary>Compares two versions of an object: paths only in the new one, paths whose value changed, paths only in the old one.</summary>
    public static Comparison Compare(JsonObject before, JsonObject after, FieldType type)
    {
        var comparison = new Comparison(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        CompareNode(before, after, type, string.Empty, comparison);
        return comparison;
    }

    private static void CompareNode(JsonNode? before, JsonNode? after, FieldType type, string path, Comparison into)
    {
        if (before is JsonObject l && after is JsonObject r && !type.AtomicMap)
        {
            foreach (var (key, value) in r)
            {
                var child = FieldPaths.Join(path, FieldPaths.Field(key));
                if (l.TryGetPropertyValue(key, out var old))
                {
                    CompareNode(old, value, type.Field(key), child, into);
                }
                else
                {
                    Present(value, type.Field(key), child, into.Added);
                }
            }

            foreach (var (key, value) in l)
            {
                if (!r.ContainsKey(key))
                {
                    Present(value, type.Field(key), FieldPaths.Join(path, FieldPaths.Field(key)), into.Removed);
                }
            }

            return;
        }

        if (before is JsonArray la && after is JsonArray ra && type.List != ListKind.Atomic)
        {
            var left = Index(Items(la, type, path, strict: false));
            var right = Items(ra, type, path, strict: false);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (element, item) in right)
            {
                seen.Add(element);
                var child = FieldPaths.Join(path, element);
                if (left.TryGetValue(element, out var old))
                {
                    if (type.List == ListKind.Map)
                    {
                        CompareNode(old, item, type.Items, child, into);
                    }
                }
                else
                {
                    Present(item, type.List == ListKind.Map ? type.Items : DeducedType.Instance, child, into.Added, leaf: type.List == ListKind.Set);
                }
            }

            foreach (var (element, item) in left)
            {
                if (!seen.Contains(element))
                {
                    Present(item, type.List == ListKind.Map ? type.Items : DeducedType.Instance, FieldPaths.Join(path, element), into.Removed, leaf: type.List == ListKind.Set);
                }
            }

            return;
        }

        if (!JsonNode.DeepEquals(before, after))
        {
            into.Modified.Add(path);
        }
    }

    /// <summary>A node present on one side only: it and everything under it.</summary>
    private static void Present(JsonNode? value, FieldType type, string path, HashSet<string> into, bool leaf = false)
    {
        into.Add(path);
        if (leaf)
        {
            return;
        }

        if (value is JsonObject obj && !type.AtomicMap)
        {
            foreach (var (key, child) in obj)
            {
                Present(child, type.Field(key), FieldPaths.Join(path, FieldPaths.Field(key)), into);
            }
        }
        else if (value is JsonArray list && type.List != ListKind.Atomic)
        {
            foreach (var (element, item) in Items(list, type, path, strict: false))
            {
                Present(item, type.List == ListKind.Map ? type.Items : DeducedType.Instance, FieldPaths.Join(path, element), into, leaf: type.List == ListKind.Set);
            }
        }
    }

    private static Dictionary<string, JsonNode?> Index(List<(string Element, JsonNode? Item)> items)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (element, item) in items)
        {
            index.TryAdd(element, item);
        }

        return index;
    }

    /// <summary>A set as FieldsV1: nested objects, <c>{}</c> for a member leaf, <c>".": {}</c> for a member that also has children.</summary>
    public static JsonObject Encode(IEnumerable<string> set)
    {
        var root = new JsonObject();
        var members = new List<JsonObject>();
        foreach (var path in set.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in FieldPaths.Elements(path))
            {
                if (node[element] is not JsonObject child)
                {
                    child = [];
                    node[element] = child;
                }

                node = child;
            }

            members.Add(node);
        }

        foreach (var member in members.Where(m => m.Count > 0 && !m.ContainsKey(".")))
        {
            member["."] = new JsonObject();
        }

        return Sorted(root);
    }

    private static JsonObject Sorted(JsonObject node)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in node.OrderBy(p => p.Key == "." ? 0 : 1).ThenBy(p => p.Key, Comparer<string>.Create(CompareElements)).ToList())
        {
            node.Remove(key);
            sorted[key] = value is JsonObject child ? Sorted(child) : value;
        }

        return sorted;
    }

    private static int CompareElements(string left, string right) => FieldPaths.CompareIterationOrder(left + FieldPaths.Separator + "x", right + FieldPaths.Separator + "x");

    /// <summary>Reads FieldsV1 back into a set of paths.</summary>
    public static HashSet<string> Decode(JsonObject? fieldsV1)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (fieldsV1 is not null)
        {
            DecodeNode(fieldsV1, string.Empty, set);
        }

        return set;
    }

    private static void DecodeNode(JsonObject node, string path, HashSet<string> into)
    {
        foreach (var (element, child) in node)
        {
            if (element == ".")
            {
                into.Add(path);
                continue;
            }

            var childPath = FieldPaths.Join(path, element);
            if (child is JsonObject obj && obj.Count > 0)
            {
                DecodeNode(obj, childPath, into);
            }
            else
            {
                into.Add(childPath);
            }
        }
    }
}
