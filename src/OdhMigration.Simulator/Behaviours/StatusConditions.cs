using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>Status conditions as Knative's condition sets write them (knative.dev/pkg apis/condition_set.go).</summary>
internal static class StatusConditions
{
    /// <summary>A condition that keeps its lastTransitionTime while its status does not change, as controllers do.</summary>
    public static JsonObject Condition(JsonArray? previous, string type, string status, string? reason, string? message, DateTimeOffset now)
    {
        var old = previous?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastTransitionTime"] = old?.Str("status") == status && old.Str("lastTransitionTime") is { } t ? t : ObjectMeta.Timestamp(now),
        };
        if (!string.IsNullOrEmpty(reason))
        {
            condition["reason"] = reason;
        }

        if (!string.IsNullOrEmpty(message))
        {
            condition["message"] = message;
        }

        return condition;
    }

    /// <summary>
    /// The previous conditions with <paramref name="updates"/> set over them by type: a condition set only changes the
    /// types it marks and keeps the others, and sorts them by type.
    /// </summary>
    public static JsonArray Merge(JsonArray? previous, IEnumerable<JsonObject> updates)
    {
        var byType = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var old in previous?.OfType<JsonObject>() ?? [])
        {
            if (old.Str("type") is { } type)
            {
                byType[type] = old.DeepClone();
            }
        }

        foreach (var update in updates)
        {
            byType[update.Str("type")!] = update;
        }

        return new JsonArray(byType.Values.ToArray());
    }
}
