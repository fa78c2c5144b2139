using CliWrap;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>The real odh-apply process killed mid-run: every deletion has its backup, and the next run finishes the job.</summary>
public sealed class KillTests
{
    private static string ToolDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", "odh-apply", "bin", configuration, "net10.0", "odh-apply.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"odh-apply is not built at {path}");
    }

    [Fact]
    public async Task Killing_odh_apply_mid_run_loses_nothing_and_a_rerun_finishes()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "in-place");
        var plan = await pipeline.PlanAsync();
        sim.Faults(new FaultSettings(LatencyMs: 40));
        sim.Host.Requests.Reset();

        using var kill = new CancellationTokenSource();
        var process = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([ToolDll(), "--workspace", pipeline.Layout.Root, "--kubeconfig", sim.Kubeconfig, "--concurrency", "2"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);

        // Kill (SIGKILL: no graceful shutdown) once the first original is deleted, i.e. inside the critical section.
        var journal = LedgerStore.JournalPath(pipeline.Layout.Ledger);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.Task.IsCompleted
            && !(File.Exists(journal) && (await ReadSharedAsync(journal)).Contains(LedgerActions.DeleteOriginal, StringComparison.Ordinal)))
        {
            await Task.Delay(5);
        }

        Assert.False(process.Task.IsCompleted, "odh-apply finished before it could be killed");
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
        await Invariants.EveryDeletionHasABackupAsync(pipeline.Layout, plan);

        var rerun = await pipeline.ApplyAsync();
        Assert.True(rerun.ExitCode == ExitCodes.Success, $"re-run: {rerun.Summary}\n{pipeline.Logs}");
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan);
        Assert.Equal(ExitCodes.Success, (await pipeline.ValidateAsync()).ExitCode);
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
