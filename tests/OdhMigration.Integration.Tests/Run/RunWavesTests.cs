using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>odh-migrate run on a plan with waves: apply, validate, the cleanup gate and cleanup, one wave after the other.</summary>
public sealed class RunWavesTests
{
    private static readonly Dictionary<string, int> TwoWaves = new(StringComparer.Ordinal) { ["credit-scoring"] = 1, ["churn-internal"] = 2, ["churn-v2"] = 2 };

    [Fact]
    public async Task Run_goes_wave_by_wave_with_the_gates_of_each_wave()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "side-by-side");
        var plan = await WavePlans.AssignAsync(pipeline.Layout, TwoWaves, cleanupBeforeNextWave: [1]);

        var result = await Umbrella.RunAsync(["run", "--workspace", pipeline.Layout.Root, "--kubeconfig", sim.Kubeconfig, "--resume", "--approve", "plan,cleanup"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var order = new[]
        {
            "== gate: plan, before apply of wave 1/2",
            "== gate: validation, before cleanup of wave 1/2",
            "== gate: plan, before apply of wave 2/2",
            "== gate: validation, before cleanup of wave 2/2",
        }.Select(g => result.Stdout.IndexOf(g, StringComparison.Ordinal)).ToList();
        Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), result.ToString());
        foreach (var stage in new[] { "apply w1", "validate w1", "cleanup w1", "apply w2", "validate w2", "cleanup w2" })
        {
            Assert.Contains(stage, result.Stdout, StringComparison.Ordinal);
        }

        // The wave-2 gate shows only wave 2's items.
        var wave2Gate = result.Stdout[order[2]..order[3]];
        Assert.Contains("ml-team/churn-v2 -> ", wave2Gate, StringComparison.Ordinal);
        Assert.DoesNotContain("ml-team/credit-scoring -> ", wave2Gate, StringComparison.Ordinal);
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan);
        foreach (var name in TwoWaves.Keys)
        {
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name, TestContext.Current.CancellationToken));
        }
    }
}
