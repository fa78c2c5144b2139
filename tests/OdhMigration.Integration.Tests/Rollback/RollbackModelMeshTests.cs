using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>ModelMesh migrated in place (apply writes the RawDeployment ISVC over the same-named ModelMesh one) rolled back.</summary>
public sealed class RollbackModelMeshTests
{
    private const string Ns = "mm-models";

    [Fact]
    public async Task A_modelmesh_isvc_migrated_in_place_and_cleaned_up_comes_back_as_modelmesh_with_the_namespace_label()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("modelmesh-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "modelmesh", "in-place");
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        var isvcs = (await sim.Cluster.ListAsync(Kinds.InferenceService, Ns)).Select(i => i.Name()).ToList();
        Assert.NotEmpty(isvcs);
        Assert.Equal("true", (await sim.Cluster.GetAsync(Kinds.Namespace, null, Ns))!.Label("modelmesh-enabled"));

        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.True(validate.ExitCode == ExitCodes.Success, $"validate: {validate.Summary}\n{pipeline.Logs}");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"]);
        Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup: {cleanup.Summary}\n{pipeline.Logs}");
        Assert.NotEqual(before, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));

        var rollback = await pipeline.ApprovedRollbackAsync(sim.Cluster);
        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: {rollback.Summary}\n{pipeline.Logs}");

        // Every ISVC is the ModelMesh one again (spec, labels, annotations as exported), the replacement runtimes are
        // gone and the namespace serves ModelMesh again.
        var after = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, content) in before)
        {
            Assert.True(content == after[key], $"{key} differs after rollback:\nbefore: {content}\nafter:  {after[key]}\n{File.ReadAllText(pipeline.Layout.Rollback)}");
        }

        foreach (var name in isvcs)
        {
            var isvc = await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, name);
            Assert.Equal("ModelMesh", isvc!.Annotation("serving.kserve.io/deploymentMode"));
        }

        Assert.Equal("true", (await sim.Cluster.GetAsync(Kinds.Namespace, null, Ns))!.Label("modelmesh-enabled"));

        // And they serve again: the simulator reconciles a created ModelMesh ISVC as modelmesh-serving does
        // (ModelMeshReadinessTests), so each recreated original is placed on the restored runtime, Loaded and Ready at
        // the namespace's modelmesh-serving gRPC endpoint.
        foreach (var name in isvcs)
        {
            var ready = await RollbackSupport.WaitServingAsync(sim.Cluster, Ns, name);
            Assert.Equal("Loaded", ready.At("status", "modelStatus", "states").Str("activeModelState"));
            Assert.Equal("UpToDate", ready.At("status", "modelStatus").Str("transitionStatus"));
            Assert.Equal($"grpc://modelmesh-serving.{Ns}:8033", ready.At("status").Str("url"));
            Assert.Equal("True", RollbackSupport.ConditionStatus(ready, "PredictorReady"));
        }

        var report = await pipeline.ReportAsync();
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.RolledBack, i.Status));
        var steps = report.Items.SelectMany(i => i.Steps).ToList();
        Assert.All(isvcs, name =>
        {
            Assert.Contains(steps, s => s.Action == RollbackActions.DeleteReplacement && s.Kind == "InferenceService" && s.Name == name);
            Assert.Contains(steps, s => s.Action == RollbackActions.RecreateOriginal && s.Kind == "InferenceService" && s.Name == name);
        });

        // Running it again is a no-op that still succeeds.
        var again = await pipeline.ApprovedRollbackAsync(sim.Cluster);
        Assert.True(again.ExitCode == ExitCodes.Success, $"re-run: {again.Summary}\n{pipeline.Logs}");
        Assert.Equal(after, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));
    }
}
