using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching;

/// <summary>
/// Maintains metadata.managedFields the way the API server does: one entry per (manager, operation, subresource),
/// with a FieldsV1 set. Lists are recorded as atomic leaves (the server would key list-maps by name); enough for
/// clients that show or compare ownership, not a full structured-merge-diff implementation.
/// </summary>
public static class ManagedFields
{
    public static void Record(JsonObject obj, string manager, string operation, string apiVersion, JsonObject fieldsSource, string? subresource, string timestamp)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var entries = metadata["managedFields"] as JsonArray ?? [];
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i] is JsonObject e && e["manager"]?.ToString() == manager && e["operation"]?.ToString() == operation
                && (e["subresource"]?.ToString() ?? string.Empty) == (subresource ?? string.Empty))
            {
                entries.RemoveAt(i);
            }
        }

        var entry = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = operation,
            ["apiVersion"] = apiVersion,
            ["time"] = timestamp,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldSet(fieldsSource, subresource),
        };
        if (subresource is not null)
        {
            entry["subresource"] = subresource;
        }

        entries.Add((JsonNode)entry);
        metadata["managedFields"] = entries;
    }

    /// <summary>The FieldsV1 set previously recorded for an Apply by <paramref name="manager"/>, or null.</summary>
    public static JsonObject? AppliedBy(JsonObject obj, string manager) =>
        (obj["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(e => e["manager"]?.ToString() == manager && e["operation"]?.ToString() == "Apply" && e["subresource"] is null)?["fieldsV1"] as JsonObject;

    public static JsonObject FieldSet(JsonObject source, string? subresource)
    {
        var set = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (subresource == "status" && key != "status")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject meta)
            {
                var m = new JsonObject();
                foreach (var (mk, mv) in meta)
                {
                    if (mk is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        m["f:" + mk] = mv is JsonObject o ? Leaves(o) : new JsonObject();
                    }
                }

                if (m.Count > 0)
                {
                    set["f:metadata"] = m;
                }

                continue;
            }

            set["f:" + key] = value is JsonObject child ? Leaves(child) : new JsonObject();
        }

        return set;
    }

    private static JsonObject Leaves(JsonObject source)
    {
        var set = new JsonObject();
        foreach (var (key, value) in source)
        {
            set["f:" + key] = value is JsonObject child ? Leaves(child) : new JsonObject();
        }

        return set;
    }
}
