using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Cleanup;

/// <summary>
/// Splits the items cleanup handles into groups that share nothing: items that name a common object (to delete or
/// keep), a common runtime (by name, by OnlyWithRuntime, or as the runtime their ISVC runs on) end up in one group,
/// handled one after another in plan order exactly as a sequential run would. Only whole groups run in parallel.
/// A namespace with an ISVC that picks its runtime by model format puts every runtime deletion of that namespace
/// into that ISVC's group, since the live "still used by" check would otherwise depend on timing.
/// </summary>
public static class CleanupGroups
{
    public static List<List<int>> Of(IReadOnlyList<PlanItem> items, Inventory? inventory)
    {
        var facts = inventory?.Items.GroupBy(i => (i.Namespace, i.Name)).ToDictionary(g => g.Key, g => g.First().Facts) ?? [];
        var autoSelectNamespaces = items
            .Where(i => facts.GetValueOrDefault((i.Namespace, i.Name)) is not { RuntimeResolvedBy: "spec" })
            .Select(i => i.Namespace)
            .ToHashSet(StringComparer.Ordinal);

        var parent = Enumerable.Range(0, items.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        var owner = new Dictionary<(string Kind, string? Namespace, string Name), int>();
        void Claim(int index, (string, string?, string) key)
        {
            if (owner.TryGetValue(key, out var other))
            {
                parent[Root(index)] = Root(other);
            }
            else
            {
                owner[key] = index;
            }
        }

        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            Claim(index, ("InferenceService", item.Namespace, item.Name));
            if (facts.GetValueOrDefault((item.Namespace, item.Name))?.Runtime is { } runtime)
            {
                Claim(index, ("ServingRuntime", item.Namespace, runtime));
            }

            if (autoSelectNamespaces.Contains(item.Namespace))
            {
                Claim(index, ("runtime-by-format", item.Namespace, ""));
            }

            foreach (var deletion in item.DeleteOnCleanup)
            {
                Claim(index, (deletion.Kind, deletion.Namespace, deletion.Name));
                if (deletion.Kind == "ServingRuntime")
                {
                    Claim(index, ("ServingRuntime", deletion.Namespace ?? item.Namespace, deletion.Name));
                }

                if (deletion.OnlyWithRuntime is { } withRuntime)
                {
                    Claim(index, ("ServingRuntime", deletion.Namespace ?? item.Namespace, withRuntime));
                }

                if (deletion.Kind == "ServingRuntime" && autoSelectNamespaces.Contains(deletion.Namespace ?? item.Namespace))
                {
                    Claim(index, ("runtime-by-format", deletion.Namespace ?? item.Namespace, ""));
                }
            }

            foreach (var keep in item.Keep)
            {
                Claim(index, (keep.Kind, keep.Namespace, keep.Name));
            }
        }

        return Enumerable.Range(0, items.Count)
            .GroupBy(Root)
            .Select(g => g.Order().ToList())
            .OrderBy(g => g[0])
            .ToList();
    }
}
