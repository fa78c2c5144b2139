using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// rollback: reverses a migration from the workspace. Builds rollback-plan.json (and rollback-plan.md); a dry run stops
/// there; a real run must match the approved sha256 of that plan, then carries it out item by item (one item's failure
/// never stops the others), recording every step in rollback-ledger.json so a killed run resumes, and writes
/// rollback.json.
/// </summary>
public sealed class RollbackEngine(ICluster cluster, IStageLog log, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(RollbackOptions options, WorkspaceLayout layout, CancellationToken ct = default)
    {
        UsageProblems.ThrowIfAny(options.Problems());
        var expected = ApprovedSha256.Resolve(RollbackOptions.ExpectOption, options.ExpectRollbackSha256, options.RequireGate, options.DryRun, WorkspaceLayout.RollbackPlanFile, log);
        var retrying = new RetryingCluster(cluster, options.Retry, log);

        var inputs = await ReadInputsAsync(layout, retrying, ct).ConfigureAwait(false) with { ForceDscRestore = options.ForceDscRestore };
        if (expected is not null && !options.DryRun)
        {
            inputs = await RollbackResume.AsBeforeOwnRestoresAsync(inputs, layout, expected, ct).ConfigureAwait(false);
        }

        var plan = RollbackPlanner.Build(inputs, layout);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(plan, RollbackPlanJsonContext.Default.RollbackPlan);
        var sha = Hashing.Sha256Hex(bytes);
        if (expected is not null && !string.Equals(sha, expected, StringComparison.Ordinal))
        {
            throw new PreconditionException($"the rollback plan now has sha256 {sha}, but {RollbackOptions.ExpectOption} is {expected}: the workspace or the cluster changed since the dry run was approved; nothing was changed (run rollback --dry-run again and have {WorkspaceLayout.RollbackPlanFile} approved)");
        }

        await WorkspaceDocuments.WriteAtomicAsync(layout.RollbackPlan, bytes, cancellationToken: ct).ConfigureAwait(false);
        await WorkspaceDocuments.WriteTextAtomicAsync(layout.RollbackPlanSummary, RollbackPlanMarkdown.Render(plan, sha), cancellationToken: ct).ConfigureAwait(false);

        var outcomes = options.DryRun
            ? Planned(plan)
            : await CarryOutAsync(plan, sha, retrying, options, layout, ct).ConfigureAwait(false);
        var report = new RollbackReport
        {
            GeneratedAt = _clock.GetUtcNow(),
            DryRun = options.DryRun,
            PlanSha256 = sha,
            Items = outcomes.Items,
            Cluster = outcomes.Cluster,
        };
        var reportSha = await WorkspaceDocuments.WriteAsync(layout.Rollback, report, RollbackReportJsonContext.Default.RollbackReport, ct).ConfigureAwait(false);

        var rolledBack = report.Items.Count(i => i.Status == RollbackOutcomes.RolledBack);
        var refused = report.Items.Count(i => i.Status == RollbackOutcomes.Refused) + report.Cluster.Count(c => c.Outcome == RollbackOutcomes.Refused);
        var failed = report.Items.Count(i => i.Status == RollbackOutcomes.Failed) + report.Cluster.Count(c => c.Outcome == RollbackOutcomes.Failed);
        var summary = options.DryRun
            ? $"dry run: rollback plan for {plan.Items.Count} InferenceService(s) ({refused} refused) and {plan.Cluster.Count} cluster object(s) written to {WorkspaceLayout.RollbackPlanFile} (sha256 {sha}); nothing changed"
            : $"rolled back {rolledBack} of {plan.Items.Count} InferenceService(s); {refused} refused, {failed} failed";
        log.Info(summary);
        var results = new Dictionary<string, string>
        {
            ["rollback-plan-sha256"] = sha,
            ["rollback-sha256"] = reportSha,
            ["rolled-back"] = rolledBack.ToString(CultureInfo.InvariantCulture),
            ["failed"] = (failed + refused).ToString(CultureInfo.InvariantCulture),
        };
        return new StageOutcome(StageOutcome.ExitFor(failed + refused, plan.Items.Count), summary, results);
    }

    private static async Task<RollbackInputs> ReadInputsAsync(WorkspaceLayout layout, IClusterReader cluster, CancellationToken ct)
    {
        var (plan, planConsumed) = await WorkspaceDocuments.ReadPlanAsync(layout, ct).ConfigureAwait(false);
        var consumed = new List<ConsumedDocument> { planConsumed };
        var ledger = await LedgerStore.LoadAsync(layout, ct).ConfigureAwait(false)
            ?? throw new UsageException($"{WorkspaceLayout.LedgerFile} not found in workspace {layout.Root}: apply never ran here, so there is nothing to roll back");
        if (File.Exists(layout.Ledger))
        {
            consumed.Add(new ConsumedDocument(WorkspaceLayout.LedgerFile, await Hashing.Sha256FileAsync(layout.Ledger, ct).ConfigureAwait(false)));
        }

        ExportReport? export = null;
        if (File.Exists(layout.Export))
        {
            (export, var exportConsumed) = await WorkspaceDocuments.ReadExportAsync(layout, ct).ConfigureAwait(false);
            consumed.Add(exportConsumed);
        }

        CleanupReport? cleanup = null;
        if (File.Exists(layout.Cleanup))
        {
            (cleanup, var cleanupConsumed) = await WorkspaceDocuments.ReadAsync(layout, layout.Cleanup, CleanupReport.DocumentKind, CleanupReport.CurrentSchemaVersion, CleanupReportJsonContext.Default.CleanupReport, ct).ConfigureAwait(false);
            consumed.Add(cleanupConsumed);
            cleanup = cleanup.DryRun ? null : cleanup;
        }

        FinalizeReport? finalize = null;
        if (File.Exists(layout.Finalize))
        {
            (finalize, var finalizeConsumed) = await WorkspaceDocuments.ReadAsync(layout, layout.Finalize, FinalizeReport.DocumentKind, FinalizeReport.CurrentSchemaVersion, FinalizeReportJsonContext.Default.FinalizeReport, ct).ConfigureAwait(false);
            consumed.Add(finalizeConsumed);
        }

        return new RollbackInputs(plan, ledger, export, cleanup, finalize, consumed, await DataScienceClusterAsync(cluster, ct).ConfigureAwait(false))
        {
            FinalizedLive = await FinalizedLiveAsync(finalize, cluster, ct).ConfigureAwait(false),
            StoppedLive = await StoppedLiveAsync(ledger, cluster, ct).ConfigureAwait(false),
        };
    }

    /// <summary>The originals apply stopped, as they are now (null where nothing holds the name), to resume only those apply stopped.</summary>
    private static async Task<Dictionary<string, JsonObject?>> StoppedLiveAsync(Ledger ledger, IClusterReader cluster, CancellationToken ct)
    {
        var result = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var record in ledger.Items)
        {
            if (ResumePlanner.Stopped(record) is { } stopped)
            {
                var ns = stopped.Namespace ?? record.Namespace;
                result[ResumePlanner.Key(ns, stopped.Name)] = await cluster.GetAsync(Kinds.InferenceService, ns, stopped.Name, ct).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>The DSC/DSCI a real dsc-finalize run (this or an earlier one finalize.json records) changed, as they are now (those that exist), to tell drift since.</summary>
    private static async Task<List<JsonObject>> FinalizedLiveAsync(FinalizeReport? finalize, IClusterReader cluster, CancellationToken ct)
    {
        var result = new List<JsonObject>();
        foreach (var source in DscRestoreSources.From(finalize))
        {
            var kind = source.Kind == Kinds.DataScienceCluster.Kind ? Kinds.DataScienceCluster : Kinds.DSCInitialization;
            if (await cluster.GetAsync(kind, null, source.Name, ct).ConfigureAwait(false) is { } live)
            {
                result.Add(live);
            }
        }

        return result;
    }

    /// <summary>The DataScienceCluster, or null where there is none, its API is not installed or the account may not read it.</summary>
    private static async Task<JsonObject?> DataScienceClusterAsync(IClusterReader cluster, CancellationToken ct)
    {
        try
        {
            var all = await cluster.ListAsync(Kinds.DataScienceCluster, null, cancellationToken: ct).ConfigureAwait(false);
            return all.OrderBy(d => d.Name(), StringComparer.Ordinal).FirstOrDefault();
        }
        catch (ClusterException ex) when (ex.IsNotFound || ex.IsForbidden)
        {
            return null;
        }
    }

    private static (List<RollbackItemOutcome> Items, List<RollbackStepOutcome> Cluster) Planned(RollbackPlan plan) =>
        (plan.Items.Select(i => new RollbackItemOutcome(i.Namespace, i.Name, i.Refusal is null && !i.Steps.Any(s => s.Refusal is not null) ? RollbackOutcomes.Planned : RollbackOutcomes.Refused, i.Refusal ?? StepRefusals(i.Steps),
            i.Steps.Select(s => RollbackStepRunner.Outcome(s, s.Refusal is null ? RollbackOutcomes.Planned : RollbackOutcomes.Refused, s.Refusal, s.Uid)).ToList())).ToList(),
         plan.Cluster.Select(s => RollbackStepRunner.Outcome(s, s.Refusal is null ? RollbackOutcomes.Planned : RollbackOutcomes.Refused, s.Refusal ?? Drift(s), null)).ToList());

    /// <summary>An item's refused steps (the rest of it still runs), each naming its object and why; null when none.</summary>
    private static string? StepRefusals(IEnumerable<RollbackStep> steps) =>
        steps.Where(s => s.Refusal is not null).Select(s => $"{s.Action} refused: {s.Refusal}").ToList() is { Count: > 0 } refused ? string.Join("; ", refused) : null;

    /// <summary>A forced restore's drift, shown in the dry run's outcome as well as in the plan.</summary>
    private static string? Drift(RollbackStep step) =>
        step.Drift is { Count: > 0 } drift ? $"{RollbackOptions.ForceDscRestoreOption}: reverts changes made since dsc-finalize ({string.Join("; ", drift)})" : null;

    private async Task<(List<RollbackItemOutcome> Items, List<RollbackStepOutcome> Cluster)> CarryOutAsync(RollbackPlan plan, string sha, ICluster retrying, RollbackOptions options, WorkspaceLayout layout, CancellationToken ct)
    {
        var ledger = await RollbackLedgerStore.OpenAsync(layout, sha, _clock, ct).ConfigureAwait(false);
        var runner = new RollbackStepRunner(retrying, ledger, options, layout, log);
        var items = new List<RollbackItemOutcome>();
        foreach (var item in plan.Items)
        {
            if (item.Refusal is not null)
            {
                log.Error($"rollback {item.Namespace}/{item.Name} refused: {item.Refusal}");
                items.Add(new RollbackItemOutcome(item.Namespace, item.Name, RollbackOutcomes.Refused, item.Refusal, []));
                continue;
            }

            items.Add(await RunItemAsync(item, runner, ct).ConfigureAwait(false));
        }

        var clusterSteps = new List<RollbackStepOutcome>();
        foreach (var step in plan.Cluster)
        {
            clusterSteps.Add(await runner.RunAsync(step, ct).ConfigureAwait(false));
        }

        return (items, clusterSteps);
    }

    /// <summary>
    /// The steps in order; after a failure the rest are not tried (recreating an original over a replacement that could
    /// not be deleted would fail or worse). A replacement left alone (another uid) is a problem, not a stop: its
    /// original's recreation finds the name taken and leaves it too.
    /// </summary>
    private async Task<RollbackItemOutcome> RunItemAsync(RollbackPlanItem item, RollbackStepRunner runner, CancellationToken ct)
    {
        var steps = new List<RollbackStepOutcome>();
        var problems = new List<string>();
        var refusals = new List<string>();
        foreach (var step in item.Steps)
        {
            var outcome = await runner.RunAsync(step, ct).ConfigureAwait(false);
            steps.Add(outcome);
            if (outcome.Outcome == RollbackOutcomes.Failed)
            {
                problems.Add($"{step.Kind} {step.Name}: {outcome.Reason}");
                break;
            }

            if (outcome.Outcome == RollbackOutcomes.Left && step.Action == RollbackActions.DeleteReplacement)
            {
                problems.Add($"{step.Kind} {step.Name}: {outcome.Reason}");
            }

            if (outcome.Outcome == RollbackOutcomes.Refused)
            {
                refusals.Add($"{step.Action} refused: {outcome.Reason}");
            }
        }

        // A refused step (an original to resume that is not the one apply stopped) is named, and the item is not counted
        // as rolled back; its other steps ran.
        var status = problems.Count > 0 ? RollbackOutcomes.Failed : refusals.Count > 0 ? RollbackOutcomes.Refused : RollbackOutcomes.RolledBack;
        if (status == RollbackOutcomes.RolledBack)
        {
            log.Info($"rolled back {item.Namespace}/{item.Name}");
        }

        return new RollbackItemOutcome(item.Namespace, item.Name, status, problems.Count + refusals.Count == 0 ? null : string.Join("; ", problems.Concat(refusals)), steps);
    }
}
