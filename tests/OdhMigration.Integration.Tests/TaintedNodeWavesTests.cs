using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
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
/// A tainted GPU node takes only pods that tolerate its taint: three nodes with two GPUs each, gpu-node-3 tainted
/// nvidia.com/gpu=reserved:NoSchedule. The originals of a, b and c (one GPU each, no tolerations) run on gpu-node-1
/// (a, b) and gpu-node-2 (c), so three GPUs are free, two of them on the tainted node. Planned blind to taints, all
/// three replacements would form one wave and two would stay Pending ("untolerated taint"); planned as the scheduler
/// filters, only gpu-node-2's free GPU is usable, so each wave waits for the cleanup of the one before. Without the
/// taint, the same cluster takes all three in one wave.
/// </summary>
public sealed class TaintedNodeWavesTests
{
    private static readonly string[] Models = ["a", "b", "c"];

    private static string Snapshot(string ns, bool tainted) => GpuClusterSnapshot.Yaml(ns, Models, runtimePerModel: true, nodes: 3,
        taints: tainted ? new Dictionary<string, string> { ["gpu-node-3"] = "[{key: nvidia.com/gpu, value: reserved, effect: NoSchedule}]" } : null);

    [Fact]
    public async Task Without_the_taint_the_same_cluster_takes_every_replacement_in_one_wave()
    {
        const string ns = "gpu-untainted";
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(ns, tainted: false), "untainted-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(ns, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", Waves = WaveModes.Auto }, ct: ct);

        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");
        var plan = await pipeline.PlanAsync();
        Assert.Equal([[$"{ns}/a", $"{ns}/b", $"{ns}/c"]], plan.Waves!.Select(w => w.Items));
    }

    [Fact]
    public async Task Waves_skip_the_tainted_node_the_replacements_do_not_tolerate_and_every_wave_validates_without_pending_pods()
    {
        const string ns = "gpu-tainted";
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(ns, tainted: true), "tainted-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(ns, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", Waves = WaveModes.Auto }, ct: ct);
        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");
        var capacity = (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, ct)).Document;
        var tainted = Assert.Single(capacity.Cluster.Pools, p => p.Taints.Count > 0);
        Assert.Equal(["nvidia.com/gpu=reserved:NoSchedule"], tainted.Taints);
        Assert.Equal(2m, tainted.Free["nvidia.com/gpu"]);
        Assert.Equal(3m, capacity.Cluster.Pools.Sum(p => p.Free["nvidia.com/gpu"]));

        var plan = await pipeline.PlanAsync();
        Assert.All(plan.Items, i => Assert.Equal(ItemStatuses.Ok, i.Status));
        Assert.NotNull(plan.Waves);
        Assert.Equal([[$"{ns}/a"], [$"{ns}/b"], [$"{ns}/c"]], plan.Waves.Select(w => w.Items));
        Assert.All(plan.Waves.SkipLast(1), w => Assert.True(w.CleanupBeforeNextWave));
        Assert.Contains($"{ns}/a predictor: 1 pod(s) of nvidia.com/gpu 1, memory 8Gi, cpu 2 on node gpu-node-2", plan.Waves[0].Arithmetic);

        for (var wave = 1; wave <= plan.Waves.Count; wave++)
        {
            var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Wave = wave }, ct);
            Assert.True(apply.ExitCode == ExitCodes.Success, $"apply wave {wave}: {apply.Summary}\n{pipeline.Logs}");

            var validate = await new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
                new ValidateOptions { Wave = wave, Timeout = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);
            var validation = (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct)).Document;
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
        }

        // No replacement pod was ever bound to the tainted node.
        var pods = await sim.Cluster.ListAsync(Kinds.Pod, ns, null, ct);
        Assert.DoesNotContain(pods, p => p.At("spec").Str("nodeName") == "gpu-node-3");
    }
}
