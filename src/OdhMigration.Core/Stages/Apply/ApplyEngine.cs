using System.Collections.Concurrent;
using System.Globalization;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>
/// apply: writes exactly what plan.json names, after the approval gate (plan sha256, planned files' sha256). ISVCs
/// are applied in parallel (bounded); each failure stays with its ISVC. ledger.json records every step so a re-run
/// resumes, and is a no-op for what is done.
/// </summary>
public sealed class ApplyEngine(ICluster cluster, IStageLog log)
{
    public async Task<StageOutcome> RunAsync(ApplyOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        UsageProblems.ThrowIfAny(options.Problems());

        var expectedPlan = ApprovedSha256.Resolve("--expect-plan-sha256", options.ExpectPlanSha256, options.RequireGate, options.DryRun, WorkspaceLayout.PlanFile, log);
        var (plan, planConsumed) = await WorkspaceDocuments.ReadPlanAsync(layout, cancellationToken).ConfigureAwait(false);
        var selection = WaveSelection.Resolve(plan, options.Wave);
        PlanGate.CheckPlanSha(planConsumed, expectedPlan);
        await ConsumedDocumentsGate.VerifyAsync(layout, plan, "nothing was applied", cancellationToken).ConfigureAwait(false);
        await WaveGate.CheckEarlierWavesAsync(layout, plan, planConsumed, selection, options.ForceWave, log, cancellationToken).ConfigureAwait(false);

        // The whole plan's files are checked (one approval covers every wave); only the selected wave's items are applied.
        var work = (await PlanGate.LoadAsync(layout, plan, cancellationToken).ConfigureAwait(false)).Where(w => selection.Includes(plan, w.Item)).ToList();
        var (inventory, inventoryConsumed) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var (export, _) = await WorkspaceDocuments.ReadExportAsync(layout, cancellationToken).ConfigureAwait(false);

        var retrying = new RetryingCluster(cluster, options.Retry, log);
        var results = new ConcurrentBag<ApplyItemResult>();
        foreach (var notPlanned in plan.Items.Where(i => i.Status != ItemStatuses.Ok && selection.Includes(plan, i)))
        {
            results.Add(new ApplyItemResult(notPlanned.Namespace, notPlanned.Name, ApplyItemStatus.NotPlanned, $"transform refused it: {notPlanned.Error}"));
        }

        var refusals = GitOpsRefusals(work, inventory, options);
        var ledger = options.DryRun
            ? LedgerStore.InMemory(planConsumed.Sha256, options.FieldManager)
            : await LedgerStore.OpenAsync(layout, planConsumed.Sha256, options.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        string? ledgerSha;
        List<string> labelProblems;
        await using (ledger.ConfigureAwait(false))
        {
            ledger.RecordConsumed([planConsumed, inventoryConsumed]);
            var eligible = work.Where(w => !refusals.ContainsKey(w.Item)).ToList();
            foreach (var (item, reason) in await new NamespacePreparer(retrying, ledger, options, log).PrepareAsync(plan, eligible, cancellationToken).ConfigureAwait(false))
            {
                refusals[item] = reason;
            }

            var applier = new ItemApplier(retrying, ledger, options, layout, log, new RetryingCluster(cluster, options.CriticalRetry, log))
            {
                Backups = BackupHashes.From(export),
                StopOriginals = WaveGate.StopOriginalsFirst(plan),
            };
            var byKey = inventory.Items.ToDictionary(i => (i.Namespace, i.Name));
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (w, ct) =>
            {
                refusals.TryGetValue(w.Item, out var refusal);
                byKey.TryGetValue((w.Item.Namespace, w.Item.Name), out var inv);
                results.Add(await applier.ApplyAsync(w, refusal, inv, ct).ConfigureAwait(false));
            }).ConfigureAwait(false);
            // A label shared with items of other waves counts their earlier applies (ledger) as done too.
            var thisRun = results.Select(r => (r.Namespace, r.Name)).ToHashSet();
            var earlier = ledger.Snapshot().Items.Where(l => l.State == LedgerItemStates.Applied && !thisRun.Contains((l.Namespace, l.Name)))
                .Select(l => new ApplyItemResult(l.Namespace, l.Name, ApplyItemStatus.AlreadyApplied, "applied by an earlier run"));
            labelProblems = await new LabelChanger(retrying, ledger, options, log).ApplyAsync(plan, [.. results, .. earlier], cancellationToken).ConfigureAwait(false);
            ledgerSha = await ledger.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var all = results.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var applied = all.Count(r => r.Status is ApplyItemStatus.Applied or ApplyItemStatus.AlreadyApplied or ApplyItemStatus.DryRun);
        var failed = all.Count - applied + labelProblems.Count;
        var summary = selection.Prefix + (options.DryRun
            ? $"dry run: {applied} of {all.Count} InferenceService(s) passed admission with dryRun=All; {failed} failed or refused; nothing changed"
            : $"applied {applied} of {all.Count} InferenceService(s) ({all.Count(r => r.Status == ApplyItemStatus.AlreadyApplied)} already done); {failed} failed, rolled back or refused");
        log.Info(summary);
        var resultFiles = new Dictionary<string, string>
        {
            ["applied"] = applied.ToString(CultureInfo.InvariantCulture),
            ["failed"] = failed.ToString(CultureInfo.InvariantCulture),
            ["plan-sha256"] = planConsumed.Sha256,
        };
        if (selection.Number is { } wave)
        {
            resultFiles["wave"] = wave.ToString(CultureInfo.InvariantCulture);
        }
        if (ledgerSha is not null)
        {
            resultFiles["ledger-sha256"] = ledgerSha;
        }

        return new StageOutcome(StageOutcome.ExitFor(failed, all.Count), summary, resultFiles);
    }

    private Dictionary<PlanItem, string> GitOpsRefusals(List<PlannedObjects> work, Inventory inventory, ApplyOptions options)
    {
        var refusals = new Dictionary<PlanItem, string>();
        foreach (var w in work)
        {
            var facts = inventory.Items.FirstOrDefault(i => i.Namespace == w.Item.Namespace && i.Name == w.Item.Name)?.Facts;
            if (facts?.GitOps is { } tool && !options.AllowGitOps)
            {
                refusals[w.Item] = $"managed by {tool}: its controller would undo or fight the migration (pause auto-sync, move the manifests to RawDeployment in Git, or pass --allow-gitops)";
            }
            else if (facts?.GitOps is { } allowed)
            {
                log.Warn($"{w.Item.Namespace}/{w.Item.Name}: managed by {allowed}; applying because of --allow-gitops (pause auto-sync first)");
            }
        }

        return refusals;
    }
}
