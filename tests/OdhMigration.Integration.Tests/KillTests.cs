using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>The real odh-apply process killed mid-run: every deletion has its backup, and the next run finishes the job.</summary>
public sealed class KillTests
{
    [Fact]
    public async Task Killing_odh_apply_mid_run_loses_nothing_and_a_rerun_finishes()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "in-place");
        var plan = await pipeline.PlanAsync();
        sim.Faults(new FaultSettings(LatencyMs: 40));
        sim.Host.Requests.Reset();

        // Kill (SIGKILL: no graceful shutdown) once the first original is deleted, i.e. inside the critical section.
        await KillableTool.RunAndKillWhenJournalShowsAsync(
            "odh-apply",
            ["--workspace", pipeline.Layout.Root, "--kubeconfig", sim.Kubeconfig, "--concurrency", "2"],
            LedgerStore.JournalPath(pipeline.Layout.Ledger),
            LedgerActions.DeleteOriginal,
            TimeSpan.FromSeconds(60));

        sim.Faults(FaultSettings.None);
        await Invariants.EveryDeletionHasABackupAsync(pipeline.Layout, plan);

        var rerun = await pipeline.ApplyAsync();
        Assert.True(rerun.ExitCode == ExitCodes.Success, $"re-run: {rerun.Summary}\n{pipeline.Logs}");
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan);
        Assert.Equal(ExitCodes.Success, (await pipeline.ValidateAsync()).ExitCode);
    }
}
