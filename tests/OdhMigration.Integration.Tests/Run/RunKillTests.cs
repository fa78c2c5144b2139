using CliWrap;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>The real odh-migrate run process killed in the middle of apply; run --resume finishes the migration.</summary>
public sealed class RunKillTests
{
    private static string ToolDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", "odh-migrate", "bin", configuration, "net10.0", "odh-migrate.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"odh-migrate is not built at {path}");
    }

    [Fact]
    public async Task Killed_during_apply_then_resume_completes_and_keeps_every_backup()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        sim.Faults(new FaultSettings(LatencyMs: 40));

        using var kill = new CancellationTokenSource();
        var process = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([ToolDll(), "run", "-n", "ml-team", "--strategy", "in-place", "--concurrency", "1", "--approve", "plan,cleanup", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);

        // SIGKILL once the first original is deleted: inside the in-place critical section, the worst moment.
        var journal = LedgerStore.JournalPath(ws.Layout.Ledger);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.Task.IsCompleted
            && !(File.Exists(journal) && (await ReadSharedAsync(journal)).Contains(LedgerActions.DeleteOriginal, StringComparison.Ordinal)))
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.False(process.Task.IsCompleted, "odh-migrate run finished before it could be killed");
        await kill.CancelAsync();
        try
        {
            await process;
        }
        catch (OperationCanceledException)
        {
            // Killed, as intended.
        }

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

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
