using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching;

/// <summary>
/// Strategic merge patch for the built-in kinds (k8s.io/apimachinery/pkg/util/strategicpatch patch.go): maps merge
/// (null deletes a key); lists whose field has a patch merge key merge item by item on that key; primitive lists with
/// the merge strategy (finalizers) merge as sets; other lists are replaced. Directives: <c>$patch: replace|delete|merge</c>
/// on maps and list items, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c>, <c>$setElementOrder/&lt;field&gt;</c>
/// (accepted; order is not enforced). Merge keys come from the field name, as the Kubernetes types declare them for
/// the fields the built-in kinds here carry. Custom resources refuse this patch type (415) before it gets here.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        return MergeObject(target as JsonObject, patchObject);
    }

    private static JsonNode? MergeObject(JsonObject? target, JsonObject patch)
    {
        var directive = patch["$patch"]?.ToString();
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            var replacement = (JsonObject)patch.DeepClone();
            replacement.Remove("$patch");
            return StripDirectives(replacement);
        }

        var result = target is null ? new JsonObject() : (JsonObject)target.DeepClone();
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    var drop = remove.Select(r => r?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
                    result[field] = new JsonArray([.. list.Where(i => !drop.Contains(i?.ToJsonString())).Select(i => i?.DeepClone())]);
                }

                continue;
            }

            if (key.StartsWith('$'))
            {
                continue; // $patch, $retainKeys (done), $setElementOrder/...
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = value switch
            {
                JsonObject childPatch => MergeObject(result[key] as JsonObject, childPatch),
                JsonArray listPatch => MergeList(key, result[key] as JsonArray, listPatch),
                _ => value.DeepClone(),
            };
            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        if (BuiltinListKeys.MergedPrimitiveLists.Contains(field) && patch.All(i => i is JsonValue))
        {
            var union = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(i => union.All(u => u?.ToJsonString() != i?.ToJsonString())))
            {
                union.Add(item?.DeepClone());
            }

            return union;
        }

        var mergeKey = MergeKeyFor(field, patch, target);
        if (mergeKey is null)
        {
            return (JsonArray)StripDirectives(patch.DeepClone())!;
        }

        if (patch.OfType<JsonObject>().Any(i => i["$patch"]?.ToString() == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(i => i["$patch"] is null).Select(i => StripDirectives(i.DeepClone()))]);
        }

        var result = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var keyValue = item[mergeKey]?.ToJsonString();
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject existing && existing[mergeKey]?.ToJsonString() == keyValue)
                {
                    index = i;
                    break;
                }
            }

            if (item["$patch"]?.ToString() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            var merged = MergeObject(index >= 0 ? result[index] as JsonObject : null, item);
            if (index >= 0)
            {
                result[index] = merged;
            }
            else
            {
                result.Add(merged);
            }
        }

        return result;
    }

    private static string? MergeKeyFor(string field, JsonArray patch, JsonArray? target)
    {
        if (!BuiltinListKeys.MergeKeys.TryGetValue(field, out var key))
        {
            return null;
        }

        // Container ports merge on containerPort; Service ports on port.
        if (field == "ports" && patch.Concat(target ?? []).OfType<JsonObject>().Any(p => p.ContainsKey("containerPort")))
        {
            return "containerPort";
        }

        return key;
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, value) in obj)
            {
                StripDirectives(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                StripDirectives(item);
            }
        }

        return node;
    }
}
