using System.Globalization;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Cleanup;

/// <summary>
/// cleanup --wave K: which original runtimes are still needed by plan items outside wave K that no cleanup has
/// cleaned yet. Transform lists a shared runtime in the deleteOnCleanup of every migrated item on it, so the runtime
/// goes with the cleanup of the last wave that uses it, never earlier.
/// </summary>
public static class RuntimeUsers
{
    public static Dictionary<(string Namespace, string Runtime), List<string>> OutsideSelection(Plan plan, Inventory? inventory, IReadOnlyList<PlanItem> selected, IReadOnlySet<(string Namespace, string Name)> cleaned)
    {
        var result = new Dictionary<(string, string), List<string>>();
        var inSelection = selected.Select(i => (i.Namespace, i.Name)).ToHashSet();
        if (inSelection.Count == plan.Items.Count(i => i.Status == ItemStatuses.Ok))
        {
            return result; // every item is in this run: the live checks decide, as without waves
        }

        var facts = inventory?.Items.GroupBy(i => (i.Namespace, i.Name)).ToDictionary(g => g.Key, g => g.First().Facts) ?? [];
        foreach (var item in plan.Items.Where(i => i.Status == ItemStatuses.Ok && !inSelection.Contains((i.Namespace, i.Name)) && !cleaned.Contains((i.Namespace, i.Name))))
        {
            var runtimes = item.DeleteOnCleanup.Where(d => d.Kind == "ServingRuntime").Select(d => d.Name)
                .Concat(item.Keep.Where(k => k.Kind == "ServingRuntime").Select(k => k.Name))
                .Concat(facts.GetValueOrDefault((item.Namespace, item.Name))?.Runtime is { } own ? [own] : [])
                .Distinct(StringComparer.Ordinal);
            foreach (var runtime in runtimes)
            {
                var key = (item.Namespace, runtime);
                if (!result.TryGetValue(key, out var users))
                {
                    result[key] = users = [];
                }

                var wave = WaveSelection.WaveOf(plan, item);
                users.Add(wave is null ? $"{item.Namespace}/{item.Name}" : $"{item.Namespace}/{item.Name} (wave {wave.Value.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        return result;
    }
}
