using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching;

/// <summary>JSON merge patch (RFC 7386): objects merge recursively, null deletes a key, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObj)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Apply(result[key] is { } existing ? existing : null, value);
                result[key] = merged;
            }
        }

        return result;
    }
}
