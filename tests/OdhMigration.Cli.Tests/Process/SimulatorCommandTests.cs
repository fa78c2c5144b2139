using System.Diagnostics;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Process;

/// <summary>odh-migrate simulator as a user starts it: a kubeconfig appears and an independent client can use it.</summary>
public sealed class SimulatorCommandTests
{
    [Fact]
    public async Task Serves_the_snapshot_until_stopped_and_writes_a_working_kubeconfig()
    {
        using var ws = new TempWorkspace();
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        using var process = await StartAsync("serverless-team.yaml", kubeconfig);
        try
        {
            Assert.False(process.HasExited, "the simulator exited early");

            // Our own live backing reads it like any cluster.
            using var cluster = OdhMigration.Cluster.LiveCluster.Connect(new OdhMigration.Cluster.LiveClusterConnection(kubeconfig, null));
            var isvcs = await cluster.ListAsync(OdhMigration.Core.Manifests.Kinds.InferenceService, "ml-team", cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(["churn-internal", "churn-v2", "credit-scoring"], isvcs.Select(i => OdhMigration.Core.Manifests.Manifest.Name(i)).Order());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Stops_cleanly_on_a_termination_signal(string signal)
    {
        using var ws = new TempWorkspace();
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        using var process = await StartAsync("serverless-basic.yaml", kubeconfig);
        try
        {
            using (var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Starts the real odh-migrate simulator on a sample and waits (up to 30 s) for its kubeconfig.</summary>
    private static async Task<System.Diagnostics.Process> StartAsync(string sample, string kubeconfig)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { ToolProcess.DllPath("odh-migrate"), "simulator", "--snapshot", Path.Combine(RepoPaths.Samples, sample), "--kubeconfig-out", kubeconfig })
        {
            start.ArgumentList.Add(arg);
        }

        var process = System.Diagnostics.Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(kubeconfig) && DateTime.UtcNow < deadline && !process.HasExited)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        if (!File.Exists(kubeconfig))
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            Assert.Fail("no kubeconfig written within 30 s");
        }

        return process;
    }
}
