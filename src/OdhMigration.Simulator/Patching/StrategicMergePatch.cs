using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching;

/// <summary>
/// Strategic merge patch, simplified: directives (<c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/...</c>,
/// <c>$deleteFromPrimitiveList/...</c>) are dropped and the rest is applied as a JSON merge patch. That covers what
/// <c>kubectl label/annotate/patch</c> send for metadata and scalar fields; lists are replaced rather than merged by key.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergePatch.Apply(target, StripDirectives(patch?.DeepClone()));

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
