using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>
/// Originals apply stopped (--stop-original: serving.kserve.io/stop "true" on a Serverless original kept beside its
/// replacement) that cleanup did not delete: rollback resumes them, by the uid apply stopped and no other.
/// </summary>
public sealed class RollbackResumeTests
{
    private const string Ns = "ml-team";
    private const string Stop = "serving.kserve.io/stop";

    private static ApplyStop Stopping => new();

    [Fact]
    public async Task Stopped_originals_without_cleanup_are_resumed_ready_again_and_the_replacements_are_gone()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var uids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);
        var items = (await pipeline.PlanAsync()).Items.Where(i => i.Status == ItemStatuses.Ok).ToList();
        Assert.NotEmpty(items);

        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync(Stopping.Options)).ExitCode);
        foreach (var item in items)
        {
            Assert.Equal("true", (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, item.Name))!.Annotation(Stop));
            await ApplyStop.WaitNotReadyAsync(sim.Cluster, Ns, item.Name);
        }

        var validate = await pipeline.ValidateAsync();
        Assert.True(validate.ExitCode == ExitCodes.Success, $"validate: {validate.Summary}\n{pipeline.Logs}");

        // The dry run shows a resume step per stopped original, in the plan its sha256 covers, and changes nothing.
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        Assert.True(dry.ExitCode == ExitCodes.Success, $"dry run: {dry.Summary}\n{pipeline.Logs}");
        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        var plan = (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.RollbackPlan, RollbackPlan.DocumentKind, RollbackPlan.CurrentSchemaVersion, RollbackPlanJsonContext.Default.RollbackPlan)).Document;
        foreach (var item in items)
        {
            var resume = Assert.Single(plan.Items.Single(i => i.Name == item.Name).Steps, s => s.Action == RollbackActions.ResumeOriginal);
            Assert.Equal((Ns, item.Name, uids[$"InferenceService {Ns}/{item.Name}"], Stop, (string?)null), (resume.Namespace!, resume.Name, resume.Uid, resume.AnnotationKey!, resume.AnnotationValue));
            Assert.Null(resume.Refusal);
        }

        Assert.Contains(RollbackActions.ResumeOriginal, File.ReadAllText(pipeline.Layout.RollbackPlanSummary), StringComparison.Ordinal);

        var rollback = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: {rollback.Summary}\n{pipeline.Logs}");

        // Exactly as before the migration (the annotation the export had: none), the same objects (uids), serving again.
        Assert.Equal(before, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        Assert.Equal(uids, await RollbackSupport.UidsAsync(sim.Cluster, Ns));
        foreach (var item in items)
        {
            var ready = await RollbackSupport.WaitServingAsync(sim.Cluster, Ns, item.Name);
            Assert.Null(ready.Annotation(Stop));
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName));
        }

        var report = await pipeline.ReportAsync();
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.RolledBack, i.Status));
        Assert.Equal(items.Count, report.Items.SelectMany(i => i.Steps).Count(s => s.Action == RollbackActions.ResumeOriginal && s.Outcome == RollbackOutcomes.Done));

        // Running it again is a no-op that still succeeds.
        var again = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        Assert.True(again.ExitCode == ExitCodes.Success, $"re-run: {again.Summary}\n{pipeline.Logs}");
        Assert.Equal(before, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
    }

    [Fact]
    public async Task An_original_recreated_by_someone_else_since_apply_is_refused_for_that_item_only_and_left_untouched()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var items = (await pipeline.PlanAsync()).Items.Where(i => i.Status == ItemStatuses.Ok).ToList();
        Assert.True(items.Count >= 2, "the sample needs two migrated InferenceServices");
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync(Stopping.Options)).ExitCode);

        // Someone deletes the first (stopped) original and creates another object under its name, stop annotation and all.
        var taken = items[0];
        var stopped = (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, taken.Name))!;
        await sim.Cluster.DeleteAsync(Kinds.InferenceService, Ns, taken.Name, new DeleteOptions());
        await DeletionWait.UntilGoneAsync(sim.Cluster, Kinds.InferenceService, Ns, taken.Name, _ => true, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var other = stopped.DeepCopy();
        ServerFields.StripForNewObject(other);
        var created = await sim.Cluster.CreateAsync(other, new WriteOptions(FieldManager: "someone-else"));
        Assert.Equal("true", created.Annotation(Stop));

        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        var planned = (await pipeline.ReportAsync()).Items.Single(i => i.Name == taken.Name);
        Assert.Equal(RollbackOutcomes.Refused, planned.Status);
        Assert.Contains(created.Uid()!, planned.Reason, StringComparison.Ordinal);

        var rollback = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });

        Assert.Equal(ExitCodes.PartialFailure, rollback.ExitCode);
        var now = (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, taken.Name))!;
        Assert.Equal(created.Uid(), now.Uid());
        Assert.Equal("true", now.Annotation(Stop));
        // Untouched: the simulator's KServe writes its status, but rollback never wrote to it (no field of its manager).
        Assert.Equal(created.At("metadata", "annotations")!.ToJsonString(), now.At("metadata", "annotations")!.ToJsonString());
        Assert.DoesNotContain(now.At("metadata", "managedFields") as System.Text.Json.Nodes.JsonArray ?? [], m => m?["manager"]?.ToString() == RollbackOptions.DefaultFieldManager);

        var report = await pipeline.ReportAsync();
        var refused = report.Items.Single(i => i.Name == taken.Name);
        Assert.Equal(RollbackOutcomes.Refused, refused.Status);
        Assert.Contains($"InferenceService {Ns}/{taken.Name}", refused.Reason, StringComparison.Ordinal);
        Assert.Contains(created.Uid()!, refused.Reason, StringComparison.Ordinal);
        var step = Assert.Single(refused.Steps, s => s.Action == RollbackActions.ResumeOriginal);
        Assert.Equal(RollbackOutcomes.Refused, step.Outcome);
        // Its replacement still went: only the resume step is refused.
        Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, taken.TargetNamespace, taken.TargetName));

        foreach (var item in items.Skip(1))
        {
            Assert.Equal(RollbackOutcomes.RolledBack, report.Items.Single(i => i.Name == item.Name).Status);
            Assert.Null((await RollbackSupport.WaitServingAsync(sim.Cluster, Ns, item.Name)).Annotation(Stop));
        }
    }

    [Fact]
    public async Task A_rollback_of_stopped_originals_killed_after_each_write_and_resumed_converges()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var uids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync(Stopping.Options)).ExitCode);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        var approved = RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] };

        var (outcome, kills) = await RollbackSupport.RunKilledUntilDoneAsync(sim.Cluster, pipeline.Layout, pipeline.Log, approved, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome);
        Assert.True(outcome.ExitCode == ExitCodes.Success, $"final run: {outcome.Summary}\n{pipeline.Logs}");
        Assert.True(kills >= 3, $"only {kills} kill(s): the test did not interrupt the rollback");
        Assert.Equal(before, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
        Assert.Equal(uids, await RollbackSupport.UidsAsync(sim.Cluster, Ns));
        var report = await pipeline.ReportAsync();
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.RolledBack, i.Status));
        Assert.Contains(report.Items.SelectMany(i => i.Steps), s => s.Action == RollbackActions.ResumeOriginal);
    }

    [Fact]
    public async Task An_original_replaced_between_the_check_and_the_patch_is_refused_by_the_api_server_and_left_untouched()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var taken = (await pipeline.PlanAsync()).Items.First(i => i.Status == ItemStatuses.Ok);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync(Stopping.Options)).ExitCode);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });

        // The name changes hands right before rollback's patch reaches the server: the uid in its body no longer matches.
        var racing = new SwappingCluster(sim.Cluster, taken.Name);
        var rollback = await new RollbackEngine(racing, pipeline.Log).RunAsync(RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] }, pipeline.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.PartialFailure, rollback.ExitCode);
        var now = (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, taken.Name))!;
        Assert.Equal(racing.Created!.Uid(), now.Uid());
        Assert.Equal("true", now.Annotation(Stop));
        Assert.DoesNotContain(now.At("metadata", "managedFields") as System.Text.Json.Nodes.JsonArray ?? [], m => m?["manager"]?.ToString() == RollbackOptions.DefaultFieldManager);
        var item = (await pipeline.ReportAsync()).Items.Single(i => i.Name == taken.Name);
        Assert.Equal(RollbackOutcomes.Refused, item.Status);
        Assert.Contains(racing.Created!.Uid()!, item.Reason, StringComparison.Ordinal);
    }

    /// <summary>Deletes the named ISVC and creates another under its name (another field manager) right before the first patch of it.</summary>
    private sealed class SwappingCluster(ICluster inner, string name) : ICluster
    {
        public System.Text.Json.Nodes.JsonObject? Created { get; private set; }

        public string Description => inner.Description;
        public string BackingType => inner.BackingType;

        public Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) => inner.ListAsync(kind, ns, labelSelector, cancellationToken);

        public Task<System.Text.Json.Nodes.JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) => inner.GetAsync(kind, ns, name, cancellationToken);

        public Task<System.Text.Json.Nodes.JsonObject> CreateAsync(System.Text.Json.Nodes.JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => inner.CreateAsync(obj, options, cancellationToken);

        public Task<System.Text.Json.Nodes.JsonObject> ApplyAsync(System.Text.Json.Nodes.JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => inner.ApplyAsync(obj, options, cancellationToken);

        public async Task<System.Text.Json.Nodes.JsonObject> PatchAsync(ResourceKind kind, string? ns, string target, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default)
        {
            if (kind.Kind == "InferenceService" && target == name && Created is null)
            {
                var live = (await inner.GetAsync(kind, ns, target, cancellationToken))!;
                await inner.DeleteAsync(kind, ns, target, new DeleteOptions(), cancellationToken);
                await DeletionWait.UntilGoneAsync(inner, kind, ns, target, _ => true, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50), cancellationToken);
                var other = live.DeepCopy();
                ServerFields.StripForNewObject(other);
                Created = await inner.CreateAsync(other, new WriteOptions(FieldManager: "someone-else"), cancellationToken);
            }

            return await inner.PatchAsync(kind, ns, target, patchKind, body, options, cancellationToken);
        }

        public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) => inner.DeleteAsync(kind, ns, name, options, cancellationToken);

        public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default) => inner.WatchAsync(kind, ns, fieldSelector, resourceVersion, cancellationToken);

        public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) => inner.CanIAsync(verb, kind, ns, cancellationToken);
    }

    /// <summary>apply --stop-original, as the tests run it.</summary>
    private sealed record ApplyStop
    {
        public OdhMigration.Core.Stages.Apply.ApplyOptions Options => Pipeline.FastApply with { StopOriginal = true };

        /// <summary>The simulator's KServe tears a stopped Serverless ISVC down: its Ready condition leaves True.</summary>
        public static async Task WaitNotReadyAsync(IClusterReader cluster, string ns, string name)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (RollbackSupport.ConditionStatus(await cluster.GetAsync(Kinds.InferenceService, ns, name), "Ready") == "True")
            {
                Assert.True(DateTime.UtcNow < deadline, $"{ns}/{name} is still Ready after it was stopped");
                await Task.Delay(50);
            }
        }
    }
}
