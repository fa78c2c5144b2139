using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.DscFinalize;
using static OdhMigration.Integration.Tests.DscFinalize.FinalizeCluster;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>
/// Rollback after dsc-finalize: the DSC/DSCI are restored only from the backups finalize.json recorded (by sha256), and
/// not over a change someone made after dsc-finalize unless --force-dsc-restore says so.
/// </summary>
public sealed class RollbackDscTests
{
    private const string DashboardField = "spec.components.dashboard.managementState";

    [Fact]
    public async Task Dsc_finalize_records_each_backup_sha256_and_the_spec_it_left()
    {
        await using var cluster = await FinalizedAsync();
        var report = await FinalizeAsync(cluster);

        List<BackupRecord> backups = report.BackupFiles ?? throw new Xunit.Sdk.XunitException("finalize.json has no backupFiles");
        List<FinalizedObject> finalized = report.Finalized ?? throw new Xunit.Sdk.XunitException("finalize.json has no finalized");
        Assert.Equal(3, backups.Count);
        Assert.Equal(report.Backups, backups.Select(b => b.Path));
        Assert.All(backups, b => Assert.Equal(Hashing.Sha256Hex(File.ReadAllBytes(Path.Combine(cluster.Workspace, b.Path))), b.Sha256));
        Assert.Equal(["DataScienceCluster default-dsc", "DSCInitialization default-dsci"], finalized.Select(f => $"{f.Kind} {f.Name}"));
        var dsc = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        JsonObject spec = finalized[0].Spec ?? throw new Xunit.Sdk.XunitException("no spec recorded");
        Assert.Empty(JsonDiff.Leaves(spec, dsc["spec"]));
        Assert.Equal("Removed", spec.At("components", "kserve", "serving").Str("managementState"));
    }

    [Fact]
    public async Task An_unchanged_dsc_and_dsci_are_restored_from_their_verified_backups_and_a_rerun_is_a_no_op()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        Assert.Equal(ExitCodes.Success, (await cluster.RunAsync()).ExitCode);

        var (dry, real) = await ApprovedRollbackAsync(cluster, RollbackSupport.Fast);

        Assert.True(real.ExitCode == ExitCodes.Success, real.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
        var report = await ReportAsync(cluster);
        Assert.Equal([RollbackOutcomes.Done, RollbackOutcomes.Done], report.Cluster.Select(c => c.Outcome));

        var again = await RollbackAsync(cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        Assert.True(again.ExitCode == ExitCodes.Success, again.Summary);
        Assert.All((await ReportAsync(cluster)).Cluster, c => Assert.Equal(RollbackOutcomes.AlreadyDone, c.Outcome));
    }

    [Fact]
    public async Task A_backup_altered_after_dsc_finalize_refuses_that_restore_naming_the_file()
    {
        await using var cluster = await FinalizedAsync();
        var report = await FinalizeAsync(cluster);
        var dscBackup = report.Backups.Single(b => b.Contains("datasciencecluster-", StringComparison.Ordinal));
        var path = Path.Combine(cluster.Workspace, dscBackup);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("Managed", "Unmanaged", StringComparison.Ordinal));
        var finalized = await SpecsAsync(cluster);

        var dry = await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var step = (await ReportAsync(cluster)).Cluster.Single(c => c.Kind == "DataScienceCluster");
        Assert.Equal(RollbackOutcomes.Refused, step.Outcome);
        Assert.Contains(dscBackup, step.Reason, StringComparison.Ordinal);
        Assert.Contains("changed since dsc-finalize wrote it", step.Reason, StringComparison.Ordinal);

        var real = await RollbackAsync(cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });

        Assert.Equal(ExitCodes.PartialFailure, real.ExitCode);
        var after = await SpecsAsync(cluster);
        Assert.Equal(finalized.Dsc, after.Dsc);
        Assert.NotEqual(finalized.Dsci, after.Dsci); // the DSCI backup is intact: restored
        Assert.Equal(RollbackOutcomes.Refused, (await ReportAsync(cluster)).Cluster.Single(c => c.Kind == "DataScienceCluster").Outcome);
    }

    [Fact]
    public async Task A_finalize_json_without_backup_sha256_refuses_both_restores()
    {
        await using var cluster = await FinalizedAsync();
        await FinalizeAsync(cluster);
        // As an older dsc-finalize wrote it: no backupFiles, no finalized.
        var file = Path.Combine(cluster.Workspace, WorkspaceLayout.FinalizeFile);
        var json = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        json.Remove("backupFiles");
        json.Remove("finalized");
        await File.WriteAllTextAsync(file, json.ToJsonString());
        var finalized = await SpecsAsync(cluster);

        var (_, real) = await ApprovedRollbackAsync(cluster, RollbackSupport.Fast);

        Assert.Equal(ExitCodes.PartialFailure, real.ExitCode);
        Assert.Equal(finalized, await SpecsAsync(cluster));
        Assert.All((await ReportAsync(cluster)).Cluster, c =>
        {
            Assert.Equal(RollbackOutcomes.Refused, c.Outcome);
            Assert.Contains("records no sha256 for backup _cluster/", c.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_dsc_changed_after_dsc_finalize_is_not_restored_over_unless_forced_and_the_dry_run_shows_the_drift()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        Assert.Equal(ExitCodes.Success, (await cluster.RunAsync()).ExitCode);
        Assert.Equal("Managed", (await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc")).At("spec", "components", "dashboard").Str("managementState"));
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"dashboard":{"managementState":"Removed"}}}}""", new WriteOptions(FieldManager: "someone-else"));
        var changed = await SpecsAsync(cluster);

        var dry = await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var plan = (await WorkspaceDocuments.ReadAsync(Layout(cluster), Layout(cluster).RollbackPlan, RollbackPlan.DocumentKind, RollbackPlan.CurrentSchemaVersion, RollbackPlanJsonContext.Default.RollbackPlan)).Document;
        var dscStep = plan.Cluster.Single(s => s.Kind == "DataScienceCluster");
        Assert.Equal([$"{DashboardField}: Managed -> Removed"], dscStep.Drift);
        Assert.Contains("DataScienceCluster default-dsc changed since dsc-finalize", dscStep.Refusal, StringComparison.Ordinal);
        Assert.Contains(DashboardField, dscStep.Refusal, StringComparison.Ordinal);
        Assert.Contains(RollbackOptions.ForceDscRestoreOption, dscStep.Refusal, StringComparison.Ordinal);
        Assert.Null(plan.Cluster.Single(s => s.Kind == "DSCInitialization").Drift);
        Assert.Contains(DashboardField, await File.ReadAllTextAsync(Layout(cluster).RollbackPlanSummary), StringComparison.Ordinal);
        Assert.Equal(RollbackOutcomes.Refused, (await ReportAsync(cluster)).Cluster.Single(c => c.Kind == "DataScienceCluster").Outcome);

        var real = await RollbackAsync(cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });

        Assert.Equal(ExitCodes.PartialFailure, real.ExitCode);
        var after = await SpecsAsync(cluster);
        Assert.Equal(changed.Dsc, after.Dsc);
        Assert.Equal(before.Dsci, after.Dsci);

        // Forced: the approval binds the forced plan (the unforced sha256 no longer matches), the drift is reverted too.
        var forced = RollbackSupport.Fast with { ForceDscRestore = true };
        await Assert.ThrowsAsync<PreconditionException>(() => RollbackAsync(cluster, forced with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] }));
        var (forcedDry, forcedReal) = await ApprovedRollbackAsync(cluster, forced);
        Assert.Contains(DashboardField, (await File.ReadAllTextAsync(Layout(cluster).RollbackPlanSummary)), StringComparison.Ordinal);
        Assert.NotEqual(dry.Results["rollback-plan-sha256"], forcedDry.Results["rollback-plan-sha256"]);
        Assert.True(forcedReal.ExitCode == ExitCodes.Success, forcedReal.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
        var step = (await ReportAsync(cluster)).Cluster.Single(c => c.Kind == "DataScienceCluster");
        Assert.Equal(RollbackOutcomes.Done, step.Outcome);
        Assert.Contains(DashboardField, step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_killed_after_its_patch_resumes_with_the_same_approval_and_converges()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        Assert.Equal(ExitCodes.Success, (await cluster.RunAsync()).ExitCode);
        var dry = await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var approved = RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] };

        var (outcome, kills) = await RollbackSupport.RunKilledUntilDoneAsync(cluster.Sim.Cluster, Layout(cluster), new MemoryStageLog(), approved, TestContext.Current.CancellationToken);

        Assert.Equal(2, kills);
        Assert.NotNull(outcome);
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
    }

    [Fact]
    public async Task A_forced_restore_killed_after_its_patch_resumes_with_the_same_approval_and_converges()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        Assert.Equal(ExitCodes.Success, (await cluster.RunAsync()).ExitCode);
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"dashboard":{"managementState":"Removed"}}}}""", new WriteOptions(FieldManager: "someone-else"));
        var forced = RollbackSupport.Fast with { ForceDscRestore = true };
        var dry = await RollbackAsync(cluster, forced with { DryRun = true });
        var approved = forced with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] };

        // Once restored, the DSC no longer shows the drift the approved plan names: the resumed run must still plan it.
        var (outcome, kills) = await RollbackSupport.RunKilledUntilDoneAsync(cluster.Sim.Cluster, Layout(cluster), new MemoryStageLog(), approved, TestContext.Current.CancellationToken);

        Assert.Equal(2, kills);
        Assert.NotNull(outcome);
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
    }

    [Fact]
    public async Task Dsc_finalize_run_twice_keeps_the_first_backups_and_rollback_restores_the_specs_from_before_it()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        var first = await FinalizeAsync(cluster);
        var second = await FinalizeAsync(cluster);

        Assert.Equal(FinalizeVerdicts.NoChange, second.Verdict);
        Assert.Empty(second.Changes);
        Assert.Empty(second.BackupFiles ?? []);
        var earlier = Assert.Single(second.EarlierRuns ?? []);
        Assert.Equal(first.BackupFiles, earlier.BackupFiles);
        Assert.Equal(first.Changes, earlier.Changes);

        var (_, real) = await ApprovedRollbackAsync(cluster, RollbackSupport.Fast);

        Assert.True(real.ExitCode == ExitCodes.Success, real.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
        Assert.Equal([RollbackOutcomes.Done, RollbackOutcomes.Done], (await ReportAsync(cluster)).Cluster.Select(c => c.Outcome));
    }

    [Fact]
    public async Task A_second_run_that_changes_again_restores_from_the_first_backup_and_drift_is_against_what_the_second_left()
    {
        await using var cluster = await FinalizedAsync();
        var before = await SpecsAsync(cluster);
        var first = await FinalizeAsync(cluster);
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"kserve":{"serving":{"managementState":"Managed"}}}}}""", new WriteOptions(FieldManager: "someone-else"));
        var second = await FinalizeAsync(cluster);

        Assert.Equal(FinalizeVerdicts.Done, second.Verdict);
        Assert.Equal(["DataScienceCluster spec.components.kserve.serving.managementState"], second.Changes.Select(c => $"{c.Kind} {c.Field}"));
        Assert.Equal(first.BackupFiles, Assert.Single(second.EarlierRuns ?? []).BackupFiles);
        Assert.Empty((second.BackupFiles ?? []).Select(b => b.Path).Intersect((first.BackupFiles ?? []).Select(b => b.Path)));

        // Drift is what changed after the latest run, not the serving field the second run put back.
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"dashboard":{"managementState":"Removed"}}}}""", new WriteOptions(FieldManager: "someone-else"));
        await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var plan = (await WorkspaceDocuments.ReadAsync(Layout(cluster), Layout(cluster).RollbackPlan, RollbackPlan.DocumentKind, RollbackPlan.CurrentSchemaVersion, RollbackPlanJsonContext.Default.RollbackPlan)).Document;
        var dscStep = plan.Cluster.Single(s => s.Kind == "DataScienceCluster");
        Assert.Equal([$"{DashboardField}: Managed -> Removed"], dscStep.Drift);
        Assert.Equal(first.BackupFiles!.Single(b => b.Path.Contains("datasciencecluster-", StringComparison.Ordinal)).Path, dscStep.BackupFile);
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"dashboard":{"managementState":"Managed"}}}}""", new WriteOptions(FieldManager: "someone-else"));

        var (_, real) = await ApprovedRollbackAsync(cluster, RollbackSupport.Fast);

        Assert.True(real.ExitCode == ExitCodes.Success, real.Summary);
        Assert.Equal(before, await SpecsAsync(cluster));
    }

    [Fact]
    public async Task An_altered_backup_of_an_earlier_run_refuses_its_restore_and_the_next_dsc_finalize_naming_the_file()
    {
        await using var cluster = await FinalizedAsync();
        var first = await FinalizeAsync(cluster);
        await FinalizeAsync(cluster);
        var dscBackup = first.Backups.Single(b => b.Contains("datasciencecluster-", StringComparison.Ordinal));
        var path = Path.Combine(cluster.Workspace, dscBackup);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("Managed", "Unmanaged", StringComparison.Ordinal));
        var finalizeJson = await File.ReadAllBytesAsync(Path.Combine(cluster.Workspace, WorkspaceLayout.FinalizeFile));

        await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var step = (await ReportAsync(cluster)).Cluster.Single(c => c.Kind == "DataScienceCluster");
        Assert.Equal(RollbackOutcomes.Refused, step.Outcome);
        Assert.Contains(dscBackup, step.Reason, StringComparison.Ordinal);
        Assert.Contains("changed since dsc-finalize wrote it", step.Reason, StringComparison.Ordinal);

        var (exit, stdout, stderr) = await cluster.RunAsync();
        Assert.Equal(ExitCodes.PreconditionFailed, exit);
        Assert.Contains(dscBackup, stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(finalizeJson, await File.ReadAllBytesAsync(Path.Combine(cluster.Workspace, WorkspaceLayout.FinalizeFile)));
    }

    [Fact]
    public async Task An_earlier_record_pointing_outside_the_workspace_refuses_its_restore_and_the_next_dsc_finalize_naming_the_path()
    {
        await using var cluster = await FinalizedAsync();
        await FinalizeAsync(cluster);
        await FinalizeAsync(cluster);
        var file = Path.Combine(cluster.Workspace, WorkspaceLayout.FinalizeFile);
        var json = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var run = (JsonObject)json["earlierRuns"]![0]!;
        const string Outside = "../elsewhere/datasciencecluster-default-dsc.yaml";
        foreach (var node in ((JsonArray)run["backups"]!).ToList().Where(n => n!.GetValue<string>().Contains("datasciencecluster-", StringComparison.Ordinal)))
        {
            node!.ReplaceWith(Outside);
        }

        foreach (var record in ((JsonArray)run["backupFiles"]!).OfType<JsonObject>().Where(r => r["path"]!.GetValue<string>().Contains("datasciencecluster-", StringComparison.Ordinal)))
        {
            record["path"] = Outside;
        }

        await File.WriteAllTextAsync(file, json.ToJsonString());

        var dry = await RollbackAsync(cluster, RollbackSupport.Fast with { DryRun = true });
        var steps = (await ReportAsync(cluster)).Cluster;
        var dscStep = steps.Single(c => c.Kind == "DataScienceCluster");
        Assert.Equal(RollbackOutcomes.Refused, dscStep.Outcome);
        Assert.Contains(Outside, dscStep.Reason, StringComparison.Ordinal);
        Assert.Contains("outside the workspace", dscStep.Reason, StringComparison.Ordinal);
        Assert.Equal(RollbackOutcomes.Planned, steps.Single(c => c.Kind == "DSCInitialization").Outcome);
        Assert.Equal(ExitCodes.PartialFailure, dry.ExitCode);

        var (exit, stdout, stderr) = await cluster.RunAsync();
        Assert.Equal(ExitCodes.PreconditionFailed, exit);
        Assert.Contains(Outside, stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A cluster ready for dsc-finalize, and a workspace where apply ran (for nothing): rollback then has only the DSC/DSCI to do.</summary>
    private static async Task<FinalizeCluster> FinalizedAsync()
    {
        var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc);
        var layout = Layout(cluster);
        await WorkspaceDocuments.WriteAsync(layout.Plan, new Plan(), PlanJsonContext.Default.Plan);
        await WorkspaceDocuments.WriteAsync(layout.Ledger, new Ledger(), LedgerJsonContext.Default.Ledger);
        return cluster;
    }

    private static async Task<FinalizeReport> FinalizeAsync(FinalizeCluster cluster)
    {
        var (exit, stdout, stderr) = await cluster.RunAsync();
        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        var layout = Layout(cluster);
        return (await WorkspaceDocuments.ReadAsync(layout, layout.Finalize, FinalizeReport.DocumentKind, FinalizeReport.CurrentSchemaVersion, FinalizeReportJsonContext.Default.FinalizeReport)).Document;
    }

    private static WorkspaceLayout Layout(FinalizeCluster cluster) => new(cluster.Workspace);

    private static Task<StageOutcome> RollbackAsync(FinalizeCluster cluster, RollbackOptions options) =>
        new RollbackEngine(cluster.Sim.Cluster, new MemoryStageLog()).RunAsync(options, Layout(cluster), TestContext.Current.CancellationToken);

    private static async Task<(StageOutcome Dry, StageOutcome Real)> ApprovedRollbackAsync(FinalizeCluster cluster, RollbackOptions options)
    {
        var dry = await RollbackAsync(cluster, options with { DryRun = true });
        return (dry, await RollbackAsync(cluster, options with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] }));
    }

    private static async Task<RollbackReport> ReportAsync(FinalizeCluster cluster) =>
        (await WorkspaceDocuments.ReadAsync(Layout(cluster), Layout(cluster).Rollback, RollbackReport.DocumentKind, RollbackReport.CurrentSchemaVersion, RollbackReportJsonContext.Default.RollbackReport)).Document;

    /// <summary>Both specs with their keys sorted: a merge patch may leave the same content in another order.</summary>
    private static async Task<(string Dsc, string Dsci)> SpecsAsync(FinalizeCluster cluster) =>
        (Canonical((await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc"))["spec"])!.ToJsonString(),
         Canonical((await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"))["spec"])!.ToJsonString());

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
