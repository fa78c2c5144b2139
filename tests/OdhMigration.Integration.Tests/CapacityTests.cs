using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// Side-by-side doubles what a model needs while both copies run: on a cluster with 4 GPUs, three Serverless originals
/// holding one GPU each leave room for one replacement, so migrating all three at once leaves replacements Pending and
/// validate says InsufficientResources; stopping the originals frees their GPUs and the same replacements come up.
/// </summary>
public sealed class CapacityTests
{
    private const string Namespace = "gpu-team";

    [Fact]
    public async Task Migrating_more_gpu_models_side_by_side_than_free_gpus_fails_validate_with_InsufficientResources_until_the_originals_stop()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(GpuClusterSnapshot.Yaml(Namespace, ["llama", "mistral", "granite"], runtimePerModel: false), "capacity-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        var originals = sim.Host.Store.List(Kinds.Pod, new ListRequest(Namespace, LabelSelector.Parse("serving.kserve.io/inferenceservice"), FieldFilter.Everything)).Items;
        Assert.Equal(3, originals.Count(p => p.At("status").Str("phase") == "Running"));

        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Namespace, "serverless", "side-by-side");
        var planned = (await pipeline.PlanAsync()).Items.Where(i => i.Status == "ok").ToList();
        Assert.Equal(3, planned.Count);
        var apply = await pipeline.ApplyAsync(ct: ct);
        Assert.True(apply.ExitCode == ExitCodes.Success, $"apply: {apply.Summary}\n{pipeline.Logs}");

        var validate = await ValidateAsync(sim, pipeline, ct);
        Assert.NotEqual(ExitCodes.Success, validate.ExitCode);
        var results = await ValidationAsync(pipeline, ct);
        var insufficient = results.Items.Where(i => i.Reason == ValidationReasons.InsufficientResources).ToList();
        Assert.True(insufficient.Count >= 1, $"no InsufficientResources: {string.Join("; ", results.Items.Select(i => $"{i.TargetName}: {i.Reason} {i.Message}"))}");
        Assert.All(insufficient, i => Assert.Contains("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.", i.Message, StringComparison.Ordinal));
        Assert.Equal(2, results.Items.Count(i => !i.Passed)); // one free GPU: exactly one replacement fits

        // guide §5.1.2: stopping the Serverless originals frees their GPUs; the pending replacements then schedule.
        foreach (var item in planned)
        {
            sim.Host.Store.Patch(Kinds.InferenceService, item.Namespace, item.Name, live =>
            {
                var next = live!.DeepCopy();
                next.SetAnnotation("serving.kserve.io/stop", "true");
                return next;
            }, WriteContext.Internal("test"));
        }

        var retry = await ValidateAsync(sim, pipeline, ct);
        Assert.True(retry.ExitCode == ExitCodes.Success, $"validate after stopping the originals: {retry.Summary}\n{pipeline.Logs}");
    }

    private static Task<StageOutcome> ValidateAsync(SimulatedCluster sim, Pipeline pipeline, CancellationToken ct) =>
        new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
            new ValidateOptions { Timeout = TimeSpan.FromSeconds(4), PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);

    private static async Task<Validation> ValidationAsync(Pipeline pipeline, CancellationToken ct) =>
        (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct)).Document;
}
