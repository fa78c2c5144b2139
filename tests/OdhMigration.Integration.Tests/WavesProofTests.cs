using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Scheduling;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// Issue #19's proof, end to end through the real stages: on a cluster with 4 GPUs, three Serverless originals (one GPU
/// each, each on its own runtime) leave one GPU free. Migrated side-by-side all at once, two replacements stay
/// Pending (CapacityTests). Planned with <c>transform --waves auto</c> from what export recorded in capacity.json, the
/// same namespace is migrated wave by wave (apply K, validate K, cleanup K) with no InsufficientResources anywhere.
/// </summary>
public sealed class WavesProofTests
{
    private const string Namespace = "gpu-waves";

    [Fact]
    public async Task Gpu_demand_beyond_free_capacity_migrates_in_waves_without_InsufficientResources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(GpuClusterSnapshot.Yaml(Namespace, ["llama", "mistral", "granite"], runtimePerModel: true), "waves-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(Namespace, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", Waves = WaveModes.Auto }, ct: ct);
        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");

        var (capacity, _) = await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, ct);
        Assert.True(capacity.Cluster.Readable, capacity.Cluster.Reason);
        Assert.Equal(1m, capacity.Cluster.Pools.Sum(p => p.Free.GetValueOrDefault("nvidia.com/gpu")));
        Assert.All(capacity.Items, i => Assert.Equal(1m, i.Total.GetValueOrDefault("nvidia.com/gpu")));

        var plan = await pipeline.PlanAsync();
        Assert.NotNull(plan.Waves);
        Assert.Equal(3, plan.Waves.Count);
        Assert.All(plan.Items, i => Assert.Equal(ItemStatuses.Ok, i.Status));
        Assert.All(plan.Waves.Take(2), w => Assert.True(w.CleanupBeforeNextWave || w.StopOriginalsFirst, $"wave {w.Number}: neither cleanup-before-next nor stop-first, yet only one GPU is free"));

        for (var wave = 1; wave <= plan.Waves.Count; wave++)
        {
            var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Wave = wave }, ct);
            Assert.True(apply.ExitCode == ExitCodes.Success, $"apply wave {wave}: {apply.Summary}\n{pipeline.Logs}");

            var validate = await new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
                new ValidateOptions { Wave = wave, Timeout = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);
            var (validation, _) = await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct);
            Assert.DoesNotContain(validation.Items, i => i.Reason == ValidationReasons.InsufficientResources);
            Assert.True(validate.ExitCode == ExitCodes.Success, $"validate wave {wave}: {validate.Summary}\n{pipeline.Logs}");

            var cleanup = await new CleanupEngine(sim.Cluster, pipeline.Log).RunAsync(
                new CleanupOptions { Wave = wave, ExpectValidationSha256 = validate.Results["validation-sha256"], PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20), Retry = RetryPolicy.Default }, pipeline.Layout, ct);
            Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup wave {wave}: {cleanup.Summary}\n{pipeline.Logs}");
        }

        foreach (var item in plan.Items)
        {
            var replacement = await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct);
            Assert.NotNull(replacement);
            Assert.True(IsvcDiagnosis.IsServing(replacement), $"{item.TargetNamespace}/{item.TargetName} is not serving after its wave");
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name, ct));
        }
    }
}
