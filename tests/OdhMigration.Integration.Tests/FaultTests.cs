using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>Apply under injected faults and interruptions, live against the simulator: nothing is ever left unserved, re-running finishes.</summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData("in-place", 11)]
    [InlineData("in-place", 23)]
    [InlineData("in-place", 41)]
    [InlineData("in-place", 59)]
    [InlineData("side-by-side", 37)]
    public async Task Faults_at_every_step_never_leave_an_isvc_unserved_and_a_rerun_finishes(string strategy, int seed)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", strategy);
        var plan = await pipeline.PlanAsync();

        // 25% of requests fail (429 with Retry-After, 500, 503, dropped connection) with latency; only 2 attempts per call, so some items really fail.
        sim.Faults(new FaultSettings(Rate: 0.25, LatencyMs: 3, Seed: seed, RetryAfterSeconds: 0));
        var faulty = await pipeline.ApplyAsync(Pipeline.FastApply with { Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), CriticalRetry = new RetryPolicy(12, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50)) });
        sim.Faults(FaultSettings.None);

        Assert.True(sim.Host.Requests.Recent.Any(r => r.Fault is not null), "no fault was injected");
        await Invariants.EveryDeletionHasABackupAsync(pipeline.Layout, plan);
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan, () => $"{faulty.Summary}\n{pipeline.Logs}");

        var rerun = await pipeline.ApplyAsync();
        Assert.True(rerun.ExitCode == ExitCodes.Success, $"first run: {faulty.Summary}; re-run: {rerun.Summary}\n{pipeline.Logs}");
        Assert.Equal(ExitCodes.Success, (await pipeline.ValidateAsync()).ExitCode);
    }

    [Fact]
    public async Task Transient_faults_are_absorbed_by_retries()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "in-place");
        sim.Faults(new FaultSettings(Rate: 0.2, LatencyMs: 2, Seed: 5, RetryAfterSeconds: 0));

        var outcome = await pipeline.ApplyAsync();

        Assert.True(outcome.ExitCode == ExitCodes.Success, $"{outcome.Summary}\n{pipeline.Logs}");
        Assert.Contains(sim.Host.Requests.Recent, r => r.Fault is not null);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(25)]
    public async Task Cancelling_mid_run_leaves_every_isvc_served_and_a_rerun_finishes(int afterWrites)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "in-place");
        var plan = await pipeline.PlanAsync();
        sim.Faults(new FaultSettings(LatencyMs: 15));
        sim.Host.Requests.Reset();

        using var cts = new CancellationTokenSource();
        var run = pipeline.ApplyAsync(Pipeline.FastApply with { Concurrency = 2 }, cts.Token);
        while (!run.IsCompleted && sim.Host.Requests.Recent.Count(r => r.Method is "POST" or "PATCH" or "DELETE") < afterWrites)
        {
            await Task.Delay(2);
        }

        await cts.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Interrupted, as intended.
        }

        sim.Faults(FaultSettings.None);
        await Invariants.EveryDeletionHasABackupAsync(pipeline.Layout, plan);
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan);

        var rerun = await pipeline.ApplyAsync();
        Assert.True(rerun.ExitCode == ExitCodes.Success, $"re-run: {rerun.Summary}\n{pipeline.Logs}");
        Assert.Equal(ExitCodes.Success, (await pipeline.ValidateAsync()).ExitCode);
    }
}
