using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.DscFinalize;

/// <summary>
/// The 3.x preparation of inferenceservice-config (step 6 of the 3.5 guide): stop hardware-profile annotations from
/// propagating to the workloads (they would trigger reconcile loops and restarts during the upgrade), and mark the
/// ConfigMap unmanaged so the operator does not revert it. Only missing entries are added.
/// </summary>
public static class HardwareProfileIgnorelist
{
    public static readonly string[] Keys = ["opendatahub.io/hardware-profile-name", "opendatahub.io/hardware-profile-namespace"];

    /// <summary>The merge patch for the ConfigMap, or null when it already has everything.</summary>
    public static JsonObject? Patch(JsonObject configMap)
    {
        var text = configMap.At("data").Str("inferenceService") ?? "{}";
        JsonObject settings;
        try
        {
            settings = JsonNode.Parse(text) as JsonObject ?? throw new UsageException($"ConfigMap {configMap.Namespace()}/{configMap.Name()}: data.inferenceService is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"ConfigMap {configMap.Namespace()}/{configMap.Name()}: data.inferenceService is not valid JSON ({ex.Message})", ex);
        }

        var list = settings["serviceAnnotationDisallowedList"] as JsonArray ?? [];
        var existing = list.Select(v => v?.ToString()).ToHashSet(StringComparer.Ordinal);
        var missing = Keys.Where(k => !existing.Contains(k)).ToList();
        var managed = configMap.Annotation("opendatahub.io/managed");
        if (missing.Count == 0 && managed == "false")
        {
            return null;
        }

        foreach (var key in missing)
        {
            list.Add((JsonNode?)JsonValue.Create(key));
        }

        settings["serviceAnnotationDisallowedList"] = list.DeepClone();
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["opendatahub.io/managed"] = "false" } },
            ["data"] = new JsonObject { ["inferenceService"] = settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) },
        };
    }
}
