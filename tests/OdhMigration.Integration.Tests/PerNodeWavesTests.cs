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
/// A pod lands on one node: three nodes with two GPUs each; the originals of <c>a</c> and <c>b</c> (one GPU each) fill
/// gpu-node-1, another team's pods hold one GPU on gpu-node-2 and on gpu-node-3. Two GPUs are free in the pool, so
/// the pool's sum says the 2-GPU replacement of <c>big</c> (its Serverless original scaled to zero) fits, yet no node
/// has two free and the scheduler leaves it Pending. Planned per node, a and b go first (to gpu-node-2 and -3) and
/// their cleanup frees gpu-node-1 for big.
/// </summary>
public sealed class PerNodeWavesTests
{
    private static readonly string[] Models = ["a", "b", "big"];

    private static string Snapshot(string ns) => GpuClusterSnapshot.Yaml(ns, Models, runtimePerModel: true, nodes: 3,
        gpus: new Dictionary<string, int> { ["big"] = 2 }, minReplicas: new Dictionary<string, int> { ["big"] = 0 },
        otherPods: [("gpu-node-2", 1), ("gpu-node-3", 1)]);

    private static async Task<SimulatedCluster> StartAsync(string ns, CancellationToken ct)
    {
        var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(ns), "per-node-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        return sim;
    }

    [Fact]
    public async Task A_wave_the_pools_sum_says_fits_leaves_the_two_gpu_pod_pending()
    {
        const string ns = "gpu-pool-sum";
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await StartAsync(ns, ct);
        using var pipeline = new Pipeline(sim);

        // Wave 1 is big alone, as planning on the pool's sum (2 free, 2 needed) made it.
        var transform = await pipeline.PrepareAsync(ns, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", WaveSize = 1, WaveOrder = $"{ns}/big" }, ct: ct);
        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");
        var capacity = await CapacityAsync(pipeline, ct);
        var pool = Assert.Single(capacity.Cluster.Pools);
        Assert.Equal(2m, pool.Free["nvidia.com/gpu"]);
        Assert.Equal(2m, capacity.Items.Single(i => i.Name == "big").Total["nvidia.com/gpu"]);
        Assert.All(pool.PerNode, n => Assert.True(n.Free["nvidia.com/gpu"] < 2, $"{n.Name} has {n.Free["nvidia.com/gpu"]} GPUs free"));
        var plan = await pipeline.PlanAsync();
        Assert.Equal([$"{ns}/big"], plan.Waves![0].Items);

        var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Wave = 1 }, ct);
        Assert.True(apply.ExitCode == ExitCodes.Success, $"apply: {apply.Summary}\n{pipeline.Logs}");
        var validate = await ValidateAsync(sim, pipeline, 1, TimeSpan.FromSeconds(4), ct);
        Assert.NotEqual(ExitCodes.Success, validate.ExitCode);
        var big = Assert.Single((await ValidationAsync(pipeline, ct)).Items);
        Assert.Equal(ValidationReasons.InsufficientResources, big.Reason);
        Assert.Contains("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", big.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Planned_per_node_the_two_gpu_pod_waits_for_the_cleanup_that_frees_a_node_and_every_wave_validates()
    {
        const string ns = "gpu-per-node";
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await StartAsync(ns, ct);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(ns, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", Waves = WaveModes.Auto }, ct: ct);
        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");
        var capacity = await CapacityAsync(pipeline, ct);
        Assert.Equal(["gpu-node-1"], capacity.Items.Single(i => i.Name == "a").OriginalHoldsPerNode.Keys);

        var plan = await pipeline.PlanAsync();
        Assert.All(plan.Items, i => Assert.Equal(ItemStatuses.Ok, i.Status));
        Assert.NotNull(plan.Waves);
        Assert.Equal([[$"{ns}/a", $"{ns}/b"], [$"{ns}/big"]], plan.Waves.Select(w => w.Items));
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
        Assert.Contains($"{ns}/big predictor: 1 pod(s) of nvidia.com/gpu 2, memory 8Gi, cpu 2 on node gpu-node-1", plan.Waves[1].Arithmetic);

        for (var wave = 1; wave <= plan.Waves.Count; wave++)
        {
            var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Wave = wave }, ct);
            Assert.True(apply.ExitCode == ExitCodes.Success, $"apply wave {wave}: {apply.Summary}\n{pipeline.Logs}");

            var validate = await ValidateAsync(sim, pipeline, wave, TimeSpan.FromSeconds(10), ct);
            Assert.DoesNotContain((await ValidationAsync(pipeline, ct)).Items, i => i.Reason == ValidationReasons.InsufficientResources);
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
        }
    }

    private static async Task<CapacityReport> CapacityAsync(Pipeline pipeline, CancellationToken ct) =>
        (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, ct)).Document;

    private static Task<StageOutcome> ValidateAsync(SimulatedCluster sim, Pipeline pipeline, int wave, TimeSpan timeout, CancellationToken ct) =>
        new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
            new ValidateOptions { Wave = wave, Timeout = timeout, PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);

    private static async Task<Validation> ValidationAsync(Pipeline pipeline, CancellationToken ct) =>
        (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct)).Document;
}
