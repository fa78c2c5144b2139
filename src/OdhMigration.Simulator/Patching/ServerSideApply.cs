using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching;

/// <summary>
/// Server-side apply, simplified to what the suite and kubectl rely on: create when missing; otherwise merge the
/// applied configuration into the live object and drop fields this manager applied before but no longer sets
/// (unless another manager also owns them). Conflicts between managers are not detected; every apply behaves as
/// if <c>force=true</c>. Lists are atomic (replaced whole).
/// </summary>
public static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager)
    {
        if (live is null)
        {
            return applied.DeepCopyObject();
        }

        var previous = ManagedFields.AppliedBy(live, manager);
        var others = (live["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>()
            .Where(e => !(e["manager"]?.ToString() == manager && e["operation"]?.ToString() == "Apply"))
            .Select(e => e["fieldsV1"] as JsonObject)
            .OfType<JsonObject>()
            .ToList() ?? [];
        var merged = (JsonObject)MergePatch.Apply(live, applied.DeepClone())!;
        if (previous is not null)
        {
            Prune(merged, previous, ManagedFields.FieldSet(applied, null), others);
        }

        return merged;
    }

    private static JsonObject DeepCopyObject(this JsonObject obj) => (JsonObject)obj.DeepClone();

    private static void Prune(JsonObject target, JsonObject previous, JsonObject current, IReadOnlyList<JsonObject> others)
    {
        foreach (var (fieldKey, previousChild) in previous)
        {
            if (!fieldKey.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }

            var key = fieldKey[2..];
            var otherChildren = others.Select(o => o[fieldKey] as JsonObject).OfType<JsonObject>().ToList();
            if (current[fieldKey] is JsonObject currentChild)
            {
                if (previousChild is JsonObject p && p.Count > 0 && currentChild.Count > 0 && target[key] is JsonObject t)
                {
                    Prune(t, p, currentChild, otherChildren);
                }

                continue;
            }

            if (otherChildren.Count == 0 && key is not ("metadata" or "apiVersion" or "kind"))
            {
                target.Remove(key);
            }
        }
    }
}
