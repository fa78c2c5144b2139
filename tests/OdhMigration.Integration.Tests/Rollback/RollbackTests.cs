using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>A migrated namespace rolled back against the simulator: originals back as they were, replacements gone, nothing else touched.</summary>
public sealed class RollbackTests
{
    private const string Ns = "ml-team";

    [Theory]
    [InlineData("side-by-side")]
    [InlineData("in-place")]
    public async Task A_cleaned_up_migration_rolled_back_ends_with_the_original_objects_ready_and_nothing_else(string strategy)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", strategy);
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var uids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);

        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.True(validate.ExitCode == ExitCodes.Success, $"validate: {validate.Summary}\n{pipeline.Logs}");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"]);
        Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup: {cleanup.Summary}\n{pipeline.Logs}");

        // The dry run changes nothing.
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        Assert.True(dry.ExitCode == ExitCodes.Success, $"dry run: {dry.Summary}\n{pipeline.Logs}");
        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        Assert.True(File.Exists(pipeline.Layout.RollbackPlanSummary));

        var rollback = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: {rollback.Summary}\n{pipeline.Logs}");

        var after = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, content) in before)
        {
            Assert.True(content == after[key], $"{key} differs after rollback:\nbefore: {content}\nafter:  {after[key]}");
        }

        // The originals cleanup (or in-place apply) deleted are new objects with the old content.
        var recreated = (await pipeline.ReportAsync()).Items.SelectMany(i => i.Steps).Where(s => s.Action == RollbackActions.RecreateOriginal).ToList();
        Assert.Contains(recreated, s => s.Kind == "InferenceService");
        var afterUids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);
        Assert.All(recreated.Where(s => s.Namespace == Ns), s => Assert.NotEqual(uids[$"{s.Kind} {Ns}/{s.Name}"], afterUids[$"{s.Kind} {Ns}/{s.Name}"]));

        // And they serve again: the simulator reconciles a created Serverless ISVC as KServe does through its Knative
        // Service (ServerlessReadinessTests), so each recreated original reaches Ready with its URL in Serverless mode.
        var recreatedIsvcs = recreated.Where(s => s.Kind == "InferenceService").Select(s => s.Name).ToList();
        foreach (var name in recreatedIsvcs)
        {
            var ready = await RollbackSupport.WaitServingAsync(sim.Cluster, Ns, name);
            Assert.Equal("Serverless", ready.At("status").Str("deploymentMode"));
            Assert.False(string.IsNullOrEmpty(ready.At("status").Str("url")), $"{name} has no status.url");
            // Written by the controller for the new object (its first Knative revision), not carried over from a backup.
            Assert.Equal($"{name}-predictor-00001", ready.At("status", "components", "predictor").Str("latestReadyRevision"));
            Assert.All(new[] { "PredictorReady", "IngressReady", "Ready" }, type => Assert.Equal("True", RollbackSupport.ConditionStatus(ready, type)));
        }

        var report = await pipeline.ReportAsync();
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.RolledBack, i.Status));

        // Running it again is a no-op that still succeeds.
        var again = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        Assert.True(again.ExitCode == ExitCodes.Success, $"re-run: {again.Summary}\n{pipeline.Logs}");
        Assert.Equal(after, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
    }

    [Fact]
    public async Task Without_cleanup_only_the_replacements_go_and_the_originals_keep_their_uids()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var uids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        Assert.NotEqual(before.Keys, (await RollbackSupport.ObjectsAsync(sim.Cluster, Ns)).Keys);

        var rollback = await pipeline.ApprovedRollbackAsync(sim.Cluster);

        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: {rollback.Summary}\n{pipeline.Logs}");
        Assert.Equal(before, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        Assert.Equal(uids, await RollbackSupport.UidsAsync(sim.Cluster, Ns));
        var report = await pipeline.ReportAsync();
        Assert.DoesNotContain(report.Items.SelectMany(i => i.Steps), s => s.Action == RollbackActions.RecreateOriginal);
    }

    [Fact]
    public async Task A_replacement_whose_uid_differs_from_the_ledger_is_not_deleted()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var item = (await pipeline.PlanAsync()).Items.First(i => i.Status == ItemStatuses.Ok);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);

        // Someone deletes the replacement and creates another object under its name.
        var replacement = (await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName))!;
        await sim.Cluster.DeleteAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, new OdhMigration.Core.Cluster.DeleteOptions());
        await OdhMigration.Core.Cluster.DeletionWait.UntilGoneAsync(sim.Cluster, Kinds.InferenceService, item.TargetNamespace, item.TargetName, _ => true, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var other = replacement.DeepCopy();
        OdhMigration.Core.Manifests.ServerFields.StripForNewObject(other);
        var created = await sim.Cluster.CreateAsync(other, new OdhMigration.Core.Cluster.WriteOptions(FieldManager: "someone-else"));

        var rollback = await pipeline.ApprovedRollbackAsync(sim.Cluster);

        Assert.Equal(ExitCodes.PartialFailure, rollback.ExitCode);
        Assert.Equal(created.Uid(), (await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName))?.Uid());
        var step = (await pipeline.ReportAsync()).Items.SelectMany(i => i.Steps).Single(s => s.Kind == "InferenceService" && s.Name == item.TargetName && s.Action == RollbackActions.DeleteReplacement);
        Assert.Equal(RollbackOutcomes.Left, step.Outcome);
        Assert.Contains(created.Uid()!, step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_workspace_refuses_the_approved_rollback_and_changes_nothing()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);

        await Assert.ThrowsAsync<PreconditionException>(() => pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = new string('0', 64) }));

        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        Assert.False(File.Exists(pipeline.Layout.RollbackLedger));
    }

    [Fact]
    public async Task After_dsc_finalize_removed_serverless_the_serverless_items_are_refused_with_the_reason()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var dsc = """
            {"apiVersion":"datasciencecluster.opendatahub.io/v1","kind":"DataScienceCluster","metadata":{"name":"default-dsc"},
             "spec":{"components":{"kserve":{"managementState":"Managed","serving":{"managementState":"Removed"}}}}}
            """;
        await sim.Cluster.ApplyAsync((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(dsc)!, new OdhMigration.Core.Cluster.WriteOptions(FieldManager: "test"));
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);

        var rollback = await pipeline.ApprovedRollbackAsync(sim.Cluster);

        Assert.Equal(ExitCodes.PartialFailure, rollback.ExitCode);
        var report = await pipeline.ReportAsync();
        Assert.NotEmpty(report.Items);
        Assert.All(report.Items, i =>
        {
            Assert.Equal(RollbackOutcomes.Refused, i.Status);
            Assert.Contains("spec.components.kserve.serving.managementState Removed", i.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
    }
}
