using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>
/// Gives a plan.json written by transform the waves a test needs, by editing it afterwards. Stands in for the
/// transform planner (--waves auto | --wave-size N) until tests can ask transform for waves; only this file changes then.
/// </summary>
public static class WavePlans
{
    /// <param name="waveOf">ISVC name (in the plan's namespace) to its 1-based wave.</param>
    /// <param name="stopOriginalsFirst">Waves whose Serverless originals apply stops.</param>
    /// <param name="cleanupBeforeNextWave">Waves that must be cleaned up before the next one is applied.</param>
    public static async Task<Plan> AssignAsync(WorkspaceLayout layout, IReadOnlyDictionary<string, int> waveOf, int[]? stopOriginalsFirst = null, int[]? cleanupBeforeNextWave = null)
    {
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(layout);
        var items = plan.Items.Select(i => i with { Wave = waveOf[i.Name] }).ToList();
        var waves = items.GroupBy(i => i.Wave!.Value).OrderBy(g => g.Key).Select(g => new PlanWave
        {
            Number = g.Key,
            Items = g.Select(i => $"{i.Namespace}/{i.Name}").ToList(),
            StopOriginalsFirst = stopOriginalsFirst?.Contains(g.Key) == true,
            CleanupBeforeNextWave = cleanupBeforeNextWave?.Contains(g.Key) == true,
            Arithmetic = [$"test wave {g.Key}: {g.Count()} InferenceService(s)"],
        }).ToList();
        var waved = plan with
        {
            Items = items,
            Waves = waves,
            Options = plan.Options with { Waves = "size" },
        };
        await WorkspaceDocuments.WriteAsync(layout.Plan, waved, PlanJsonContext.Default.Plan);
        return waved;
    }
}
