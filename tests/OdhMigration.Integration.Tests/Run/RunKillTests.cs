using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>The real odh-migrate run process killed in the middle of apply; run --resume finishes the migration.</summary>
public sealed class RunKillTests
{
    [Fact]
    public async Task Killed_during_apply_then_resume_completes_and_keeps_every_backup()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        sim.Faults(new FaultSettings(LatencyMs: 40));

        // SIGKILL once the first original is deleted: inside the in-place critical section, the worst moment.
        await KillableTool.RunAndKillWhenJournalShowsAsync(
            "odh-migrate",
            ["run", "-n", "ml-team", "--strategy", "in-place", "--concurrency", "1", "--approve", "plan,cleanup", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig],
            LedgerStore.JournalPath(ws.Layout.Ledger),
            LedgerActions.DeleteOriginal,
            TimeSpan.FromSeconds(90));

        sim.Faults(FaultSettings.None);
        var plan = (await WorkspaceDocuments.ReadPlanAsync(ws.Layout, TestContext.Current.CancellationToken)).Document;
        await Invariants.EveryDeletionHasABackupAsync(ws.Layout, plan);

        // A fresh plan over the half-done workspace is refused; --resume keeps the approved plan and finishes.
        var replan = await Umbrella.RunAsync(["run", "-n", "ml-team", "--approve", "plan,cleanup", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);
        Assert.True(replan.ExitCode == ExitCodes.PreconditionFailed, replan.ToString());

        var resumed = await Umbrella.RunAsync(["run", "--resume", "--approve", "cleanup", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.ToString());
        Assert.Contains("not asking again", resumed.Stdout, StringComparison.Ordinal);
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan, () => resumed.ToString());
    }
}
