using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>
/// Transform's use of the wave planner: reads capacity.json when waves are asked for (so plans without waves never
/// depend on it and stay byte-identical), checks --wave-order names, and writes the waves into the plan items.
/// </summary>
public static class TransformWaves
{
    /// <summary>capacity.json when waves are asked for and it is there (required for --waves auto); nothing otherwise.</summary>
    public static async Task<(CapacityReport? Capacity, ConsumedDocument? Consumed)> LoadAsync(TransformOptions options, WorkspaceLayout layout, CancellationToken ct)
    {
        if (options.WaveMode is null)
        {
            return (null, null);
        }

        if (!File.Exists(layout.Capacity))
        {
            return options.WaveMode == WaveModes.Auto
                ? throw new UsageException($"--waves auto needs {WorkspaceLayout.CapacityFile}, which export writes; it is not in workspace {layout.Root}. Run export again, or plan fixed-size waves with --wave-size N")
                : (null, null);
        }

        var (capacity, consumed) = await WorkspaceDocuments.ReadAsync(layout, layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, ct).ConfigureAwait(false);
        if (options.WaveMode == WaveModes.Auto && !capacity.Cluster.Readable)
        {
            // Quotas alone say nothing about whether nodes can schedule the replacements, so no wave could be shown to fit.
            throw new UsageException($"--waves auto: {WorkspaceLayout.CapacityFile} says the cluster's schedulable capacity could not be read ({capacity.Cluster.Reason ?? "no reason recorded"}); let the export account list nodes and pods and run export again, or plan fixed-size waves with --wave-size N");
        }

        return (capacity, consumed);
    }

    /// <summary>--wave-order names must be selected InferenceServices: a typo would silently reorder nothing.</summary>
    public static void CheckOrderNames(TransformOptions options, Inventory inventory)
    {
        var order = WaveOrder.Parse(options.WaveOrder);
        var selected = inventory.Items.Where(i => i.Selected).Select(i => $"{i.Namespace}/{i.Name}").ToHashSet(StringComparer.Ordinal);
        var unknown = order.Names.Where(n => !selected.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--wave-order: {string.Join(", ", unknown.Select(n => $"'{n}'"))} names no selected InferenceService (see inventory.json)");
        }
    }

    /// <summary>The items with their wave set (or refused when they can never fit), the waves, and warnings; the items unchanged and no waves when none were asked for.</summary>
    public static (List<PlanItem> Items, List<PlanWave>? Waves, List<string> Warnings) Assign(TransformOptions options, Inventory inventory, CapacityReport? capacity, List<PlanItem> items, IStageLog log)
    {
        if (options.WaveMode is not { } mode)
        {
            return (items, null, []);
        }

        var demands = (capacity?.Items ?? []).GroupBy(d => (d.Namespace, d.Name)).ToDictionary(g => g.Key, g => g.First());
        var runtimes = inventory.Items.GroupBy(i => (i.Namespace, i.Name)).ToDictionary(g => g.Key, g => g.First().Facts.Runtime);
        var candidates = items.Where(i => i.Status == ItemStatuses.Ok).Select(i =>
        {
            var demand = demands.GetValueOrDefault((i.Namespace, i.Name));
            return new WaveCandidate(i.Namespace, i.Name, i.TargetNamespace, i.Strategy, demand?.Runtime ?? runtimes.GetValueOrDefault((i.Namespace, i.Name)), demand);
        }).ToList();

        var plan = WavePlanner.Plan(candidates, new WaveSettings(mode, options.WaveSize, WaveOrder.Parse(options.WaveOrder)), capacity);
        foreach (var warning in plan.Warnings)
        {
            log.Warn(warning);
        }

        foreach (var wave in plan.Waves)
        {
            log.Info($"wave {wave.Number}: {string.Join(", ", wave.Items)}{(wave.StopOriginalsFirst ? "; stop the Serverless originals first" : "")}{(wave.CleanupBeforeNextWave ? "; clean up before the next wave" : "")}");
        }

        var updated = items.Select(item =>
        {
            var key = $"{item.Namespace}/{item.Name}";
            if (plan.Refused.TryGetValue(key, out var reason))
            {
                log.Error($"transform {key} refused: {reason}");
                return new PlanItem { Namespace = item.Namespace, Name = item.Name, SourceMode = item.SourceMode, Status = ItemStatuses.Failed, Error = reason };
            }

            return plan.WaveOf.TryGetValue(key, out var number) ? item with { Wave = number } : item;
        }).ToList();
        return (updated, plan.Waves, plan.Warnings);
    }
}
