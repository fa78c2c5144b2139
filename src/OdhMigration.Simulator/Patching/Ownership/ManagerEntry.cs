using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching.Ownership;

/// <summary>One metadata.managedFields entry: a manager, its operation (Apply or Update), subresource, and the fields it owns.</summary>
internal sealed record ManagerEntry(string Manager, string Operation, string? Subresource, string ApiVersion, string? Time, HashSet<string> Fields)
{
    public bool SameIdentity(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? string.Empty) == (subresource ?? string.Empty);

    /// <summary>The manager as the API server's conflict messages name it (managedfields/internal/conflict.go printManager).</summary>
    public string Printed()
    {
        var text = Schema.FieldError.Quote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource {Schema.FieldError.Quote(Subresource)}";
        }

        if (Operation == "Update")
        {
            text += Time is null ? $" using {ApiVersion}" : $" using {ApiVersion} at {Time}";
        }

        return text;
    }

    public static List<ManagerEntry> Read(JsonObject? obj) =>
        (obj?["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>()
            .Select(e => new ManagerEntry(
                e["manager"]?.ToString() ?? string.Empty,
                e["operation"]?.ToString() ?? "Update",
                e["subresource"]?.ToString(),
                e["apiVersion"]?.ToString() ?? string.Empty,
                e["time"]?.ToString(),
                FieldSets.Decode(e["fieldsV1"] as JsonObject)))
            .ToList() ?? [];

    /// <summary>
    /// Writes the entries into metadata.managedFields in the API server's order (Apply before Update, then by time,
    /// manager, apiVersion, subresource: managedfields/internal/fieldmanager.go sortEncodedManagedFields); entries
    /// that own nothing are dropped.
    /// </summary>
    public static void Write(JsonObject obj, IEnumerable<ManagerEntry> entries)
    {
        var ordered = entries.Where(e => e.Fields.Count > 0)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? string.Empty, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var entry in ordered)
        {
            var json = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                json["time"] = entry.Time;
            }

            json["fieldsType"] = "FieldsV1";
            json["fieldsV1"] = FieldSets.Encode(entry.Fields);
            if (!string.IsNullOrEmpty(entry.Subresource))
            {
                json["subresource"] = entry.Subresource;
            }

            array.Add((JsonNode)json);
        }

        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        if (array.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = array;
        }
    }

    /// <summary>Whether two objects record the same owners of the same fields (times aside): a write that changes neither is a no-op.</summary>
    public static bool SameOwnership(JsonObject left, JsonObject right)
    {
        var l = Read(left);
        var r = Read(right);
        return l.Count == r.Count && l.All(e => r.Any(o => o.SameIdentity(e.Manager, e.Operation, e.Subresource) && o.ApiVersion == e.ApiVersion && o.Fields.SetEquals(e.Fields)));
    }
}
