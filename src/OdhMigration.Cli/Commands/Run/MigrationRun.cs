using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.Run;

/// <param name="Name">What the caller calls this run in its summary ("run", "rehearsal", "serverless-to-raw").</param>
/// <param name="Planning">discover/export/transform options; null resumes from the plan.json already in the workspace.</param>
/// <param name="RunCleanup">False stops after a passing validation and keeps the originals (nothing asked for more).</param>
public sealed record MigrationRunSettings(
    string Name,
    PlanningChainOptions? Planning,
    ApplyOptions Apply,
    ValidateOptions Validate,
    CleanupOptions Cleanup,
    bool RunCleanup = true);

/// <summary>
/// The whole migration of what a plan names, on one cluster: planning (or the saved plan when resuming), the plan
/// gate, apply, validate, the cleanup gate, cleanup, and a summary table. Used by run (live cluster), rehearse (the
/// embedded simulator) and the drop-ins. Each gate shows the document it approves and its sha256, which is then
/// handed to the gated stage, so what runs is exactly what was approved; approvals are recorded in approvals.json.
/// </summary>
public sealed class MigrationRun(ICluster cluster, WorkspaceLayout layout, IStageLog log, TextWriter output, ApprovalGate gate, IProgressSink progress, TimeProvider? clock = null)
{
    /// <summary>Plans with more InferenceServices than this show the first diffs at the gate and point to report.md.</summary>
    public const int GateDiffLimit = 20;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<(string Stage, StageOutcome Outcome)> _stages = [];

    public async Task<StageOutcome> RunAsync(MigrationRunSettings settings, CancellationToken ct)
    {
        Plan plan;
        if (settings.Planning is { } planning)
        {
            var planned = await new PlanningChain(cluster, log, progress).RunAsync(planning, layout, ct).ConfigureAwait(false);
            foreach (var (stage, outcome) in planned.Stages)
            {
                _stages.Add((stage, outcome));
            }

            if (planned.Plan is not { } fresh || fresh.Items.All(i => i.Status != ItemStatuses.Ok))
            {
                return await FinishAsync(settings, planned.Inventory is { } inv && inv.Items.All(i => !i.Selected) ? "nothing eligible to migrate" : "nothing could be planned", ct).ConfigureAwait(false);
            }

            plan = fresh;
        }
        else
        {
            (plan, _) = await WorkspaceDocuments.ReadPlanAsync(layout, ct).ConfigureAwait(false);
            log.Info($"resuming with the plan already in the workspace ({plan.Items.Count(i => i.Status == ItemStatuses.Ok)} InferenceService(s) planned)");
        }

        var planSha = await Hashing.Sha256FileAsync(layout.Plan, ct).ConfigureAwait(false);

        // A plan with waves runs wave by wave: apply K, validate K, the cleanup gate, cleanup K, then wave K+1. The
        // plan gate is asked before each wave (the same whole-plan sha256; its title names the wave), so the
        // operator can stop between waves. A plan without waves is one pass over every item, as before.
        var waves = plan.Waves is { Count: > 0 } planWaves
            ? planWaves.OrderBy(w => w.Number).Select(w => WaveSelection.Resolve(plan, w.Number)).ToList()
            : [WaveSelection.All(plan)];
        foreach (var wave in waves)
        {
            var stopped = await RunWaveAsync(settings, plan, planSha, wave, resuming: settings.Planning is null && wave == waves[0], ct).ConfigureAwait(false);
            if (stopped is not null)
            {
                return await FinishAsync(settings, stopped.Length == 0 ? null : stopped, ct).ConfigureAwait(false);
            }
        }

        return await FinishAsync(settings, null, ct).ConfigureAwait(false);
    }

    /// <summary>One wave (or the whole plan): null to go on with the next wave, "" to stop after a failed stage, else why it stopped.</summary>
    private async Task<string?> RunWaveAsync(MigrationRunSettings settings, Plan plan, string planSha, WaveSelection wave, bool resuming, CancellationToken ct)
    {
        var label = wave.Number is { } number ? $" of wave {number}/{wave.Count}" : "";
        var suffix = wave.Number is { } n ? $" w{n}" : "";
        var items = plan.Items.Where(i => i.Status == ItemStatuses.Ok && wave.Includes(plan, i)).ToList();
        if (!await PassGateAsync(ApprovalGate.Plan, WorkspaceLayout.PlanFile, planSha, $"plan, before apply{label}", "apply", () => PlanSummaryAsync(plan, planSha, wave, ct), resuming, ct).ConfigureAwait(false))
        {
            return $"stopped at the plan gate{label}: nothing {(wave.Number is > 1 ? "more " : "")}was applied";
        }

        progress.Report(new ProgressEvent("apply", null, $"{wave.Prefix}applying {items.Count} InferenceService(s)"));
        var applied = await new ApplyEngine(cluster, log).RunAsync(settings.Apply with { ExpectPlanSha256 = planSha, Wave = wave.Number }, layout, ct).ConfigureAwait(false);
        Record("apply" + suffix, applied);
        if (applied.ExitCode is not (ExitCodes.Success or ExitCodes.PartialFailure))
        {
            return "";
        }

        progress.Report(new ProgressEvent("validate", null, $"{wave.Prefix}waiting for the replacements to be ready"));
        var validated = await new ValidateEngine(cluster, log).RunAsync(settings.Validate with { Wave = wave.Number }, layout, ct).ConfigureAwait(false);
        Record("validate" + suffix, validated);
        if (validated.ExitCode != ExitCodes.Success)
        {
            return $"validation{label} did not pass: cleanup is not offered, the originals are kept{(wave.Number is { } k && k < wave.Count ? " and later waves are not applied" : "")}";
        }

        if (!settings.RunCleanup)
        {
            return null;
        }

        var validationSha = await Hashing.Sha256FileAsync(layout.Validation, ct).ConfigureAwait(false);
        if (!await PassGateAsync(ApprovalGate.Cleanup, WorkspaceLayout.ValidationFile, validationSha, $"validation, before cleanup{label}", "cleanup", () => ValidationSummaryAsync(validationSha, ct), resuming: false, ct).ConfigureAwait(false))
        {
            return $"stopped at the cleanup gate{label}: the originals are kept";
        }

        progress.Report(new ProgressEvent("cleanup", null, $"{wave.Prefix}deleting the originals the plan names"));
        var cleaned = await new CleanupEngine(cluster, log).RunAsync(settings.Cleanup with { ExpectValidationSha256 = validationSha, Wave = wave.Number }, layout, ct).ConfigureAwait(false);
        Record("cleanup" + suffix, cleaned);
        // A cleanup that left originals behind ends the run: the next wave may need the capacity they hold.
        return cleaned.ExitCode == ExitCodes.Success ? null : "";
    }

    /// <summary>
    /// Asks and records the answer. Only a resumed run's plan gate may pass on an earlier approval, and only one
    /// <see cref="RecordedApproval"/> verifies against plan.json and the ledger. The cleanup gate always asks: a
    /// resumed run validates again first, so the validation.json it gates is always a new one.
    /// </summary>
    private async Task<bool> PassGateAsync(string gateId, string document, string sha, string title, string word, Func<Task<List<string>>> summary, bool resuming, CancellationToken ct)
    {
        var approvals = await ReadApprovalsAsync(ct).ConfigureAwait(false);
        if (resuming)
        {
            var ledgerPlanSha = (await LedgerStore.LoadAsync(layout, ct).ConfigureAwait(false))?.PlanSha256;
            var earlier = RecordedApproval.ForResume(approvals, gateId, document, sha, string.IsNullOrEmpty(ledgerPlanSha) ? null : ledgerPlanSha, out var askAgainBecause);
            if (earlier is not null)
            {
                output.WriteLine();
                output.WriteLine($"== gate: {title}");
                output.WriteLine($"  {document} sha256 {sha} was approved at {earlier.ApprovedAt.ToUniversalTime():u} ({earlier.ApprovedBy}{(earlier.User is { } user ? ", " + user : "")}) and apply ran from it (ledger.json); unchanged since, not asking again");
                return true;
            }

            if (askAgainBecause is not null)
            {
                log.Warn(askAgainBecause);
            }
        }

        try
        {
            if (!gate.Approve(gateId, title, word, await summary().ConfigureAwait(false)))
            {
                log.Warn($"gate '{gateId}' declined");
                return false;
            }
        }
        catch (PreconditionException ex)
        {
            // No one to ask: stop here like a refusal, but still show what ran before the gate.
            log.Error(ex.Message);
            return false;
        }

        approvals.Items.Add(new Approval(gateId, document, sha, _clock.GetUtcNow(), gate.LastApprovedBy) { User = RecordedApproval.CurrentUser() });
        await WorkspaceDocuments.WriteAsync(layout.Approvals, approvals, ApprovalsJsonContext.Default.Approvals, ct).ConfigureAwait(false);
        return true;
    }

    private async Task<Approvals> ReadApprovalsAsync(CancellationToken ct)
    {
        if (!File.Exists(layout.Approvals))
        {
            return new Approvals();
        }

        var (approvals, _) = await WorkspaceDocuments.ReadAsync(layout, layout.Approvals, Approvals.DocumentKind, Approvals.CurrentSchemaVersion, ApprovalsJsonContext.Default.Approvals, ct).ConfigureAwait(false);
        return approvals;
    }

    /// <summary>One line per InferenceService, then its before/after diff, so the approver sees what changes.</summary>
    private async Task<List<string>> PlanSummaryAsync(Plan plan, string planSha, WaveSelection wave, CancellationToken ct)
    {
        var lines = new List<string>();
        if (wave.Wave is { } planned)
        {
            lines.Add($"wave {planned.Number} of {wave.Count}: {planned.Items.Count} InferenceService(s){(planned.StopOriginalsFirst ? "; Serverless originals are stopped first" : "")}{(planned.CleanupBeforeNextWave ? "; must be cleaned up before the next wave" : "")}");
            lines.AddRange(planned.Arithmetic.Select(a => "  " + a));
        }

        var report = await ReportLoader.LoadAsync(layout, null, ct).ConfigureAwait(false);
        var diffs = report.Isvcs.Where(i => i.Plan is not null).ToDictionary(i => (i.Plan!.Namespace, i.Plan.Name), i => i.Diff);
        var shown = 0;
        foreach (var item in plan.Items.Where(i => wave.Includes(plan, i)))
        {
            if (item.Status != ItemStatuses.Ok)
            {
                lines.Add($"{item.Namespace}/{item.Name}: not migrated: {item.Error}");
                continue;
            }

            lines.Add($"{item.Namespace}/{item.Name} -> {item.TargetNamespace}/{item.TargetName} ({item.Strategy}): create {item.Create.Count}, delete at cleanup {item.DeleteOnCleanup.Count}, keep {item.Keep.Count}{(item.DeleteBeforeCreate ? ", original deleted and recreated during apply (backup on disk)" : "")}");
            lines.AddRange(item.Warnings.Select(w => "  warning: " + w));
            if (shown++ < GateDiffLimit && diffs.GetValueOrDefault((item.Namespace, item.Name)) is { Length: > 0 } diff)
            {
                lines.AddRange(LineDiff.SplitLines(diff).Select(l => "    " + l));
            }
        }

        if (shown > GateDiffLimit)
        {
            lines.Add($"(diffs of the first {GateDiffLimit} shown; all of them are in {Path.Combine(layout.Root, "report.md")} once written)");
        }

        lines.AddRange(plan.Warnings.Select(w => "warning: " + w));
        lines.Add($"plan.json sha256 {planSha}");
        return lines;
    }

    private async Task<List<string>> ValidationSummaryAsync(string validationSha, CancellationToken ct)
    {
        var lines = File.Exists(layout.ValidationSummary)
            ? (await File.ReadAllLinesAsync(layout.ValidationSummary, ct).ConfigureAwait(false)).Where(l => l.Length > 0).ToList()
            : [];
        lines.Add($"validation.json sha256 {validationSha}");
        return lines;
    }

    private void Record(string stage, StageOutcome outcome)
    {
        _stages.Add((stage, outcome));
        progress.Report(new ProgressEvent(stage, null, outcome.Summary, StageFinished: true));
    }

    /// <summary>The summary table and the report; a run that stopped before doing what was asked never exits 0.</summary>
    private async Task<StageOutcome> FinishAsync(MigrationRunSettings settings, string? stoppedBecause, CancellationToken ct)
    {
        output.WriteLine();
        output.WriteLine($"{"stage",-10} {"verdict",-17} summary");
        foreach (var (stage, outcome) in _stages)
        {
            output.WriteLine($"{stage,-10} {StageRunner.Verdict(outcome.ExitCode),-17} {Redactor.Redact(outcome.Summary)}");
        }

        string? reportPath = null;
        if (File.Exists(layout.Inventory))
        {
            (reportPath, _) = await ReportLoader.WriteAsync(await ReportLoader.LoadAsync(layout, null, ct).ConfigureAwait(false), layout.Root, ct).ConfigureAwait(false);
            output.WriteLine($"Report: {reportPath}");
        }

        var exit = _stages.Count == 0 ? ExitCodes.Success : _stages.Max(s => s.Outcome.ExitCode);
        if (stoppedBecause is not null && exit == ExitCodes.Success)
        {
            exit = ExitCodes.PreconditionFailed;
        }

        var results = _stages.SelectMany(s => s.Outcome.Results).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        results["workspace"] = layout.Root;
        var text = stoppedBecause is null
            ? $"{settings.Name} finished: {string.Join(", ", _stages.Select(s => $"{s.Stage} {StageRunner.Verdict(s.Outcome.ExitCode)}"))}{(settings.RunCleanup ? "" : "; originals kept (cleanup not requested)")}; workspace {layout.Root}"
            : $"{settings.Name} {stoppedBecause}; workspace {layout.Root}";
        return new StageOutcome(exit, text, results);
    }
}
