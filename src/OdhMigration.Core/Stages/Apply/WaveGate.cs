using System.Globalization;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>
/// apply's checks for waves: wave K may need an earlier wave cleaned up first (its originals hold the capacity
/// wave K needs, PlanWave.CleanupBeforeNextWave), and a wave may need its Serverless originals stopped
/// (PlanWave.StopOriginalsFirst), which reuses --stop-original for exactly that wave's items.
/// </summary>
public static class WaveGate
{
    /// <summary>
    /// Refuses (exit 3) to apply wave K while an earlier wave marked CleanupBeforeNextWave has an item that
    /// cleanup.json does not record as cleaned; --force-wave turns the refusal into a warning.
    /// </summary>
    public static async Task CheckEarlierWavesAsync(WorkspaceLayout layout, Plan plan, ConsumedDocument planConsumed, WaveSelection selection, bool force, IStageLog log, CancellationToken ct)
    {
        if (selection.Number is not { } wave || plan.Waves is null)
        {
            return;
        }

        var blocking = plan.Waves.Where(w => w.Number < wave && w.CleanupBeforeNextWave).ToList();
        if (blocking.Count == 0)
        {
            return;
        }

        var cleaned = await WaveProgress.CleanedItemsAsync(layout, planConsumed, ct).ConfigureAwait(false);
        var missing = new List<string>();
        foreach (var earlier in blocking)
        {
            var pending = plan.Items
                .Where(i => i.Status == ItemStatuses.Ok && WaveSelection.WaveOf(plan, i) == earlier.Number && !cleaned.Contains((i.Namespace, i.Name)))
                .Select(i => $"{i.Namespace}/{i.Name}")
                .ToList();
            if (pending.Count > 0)
            {
                missing.Add($"wave {earlier.Number.ToString(CultureInfo.InvariantCulture)} must be cleaned up before the next wave can fit, and {WorkspaceLayout.CleanupFile} does not record {string.Join(", ", pending)} as cleaned");
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var message = $"--wave {wave.ToString(CultureInfo.InvariantCulture)}: " + string.Join("; ", missing);
        if (force)
        {
            log.Warn(message + "; applying anyway because of --force-wave (the replacements may not fit)");
            return;
        }

        throw new PreconditionException(message + "; run validate and cleanup for that wave first (or pass --force-wave); nothing was applied");
    }

    /// <summary>The items of every wave that says StopOriginalsFirst.</summary>
    public static HashSet<(string Namespace, string Name)> StopOriginalsFirst(Plan plan)
    {
        var waves = plan.Waves?.Where(w => w.StopOriginalsFirst).Select(w => w.Number).ToHashSet() ?? [];
        return plan.Items.Where(i => WaveSelection.WaveOf(plan, i) is { } w && waves.Contains(w)).Select(i => (i.Namespace, i.Name)).ToHashSet();
    }
}
