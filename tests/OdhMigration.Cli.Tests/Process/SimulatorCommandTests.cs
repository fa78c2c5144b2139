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

    [Fact]
    public async Task Fault_kinds_and_seed_from_the_command_line_reach_the_simulator()
    {
        using var ws = new TempWorkspace();
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        using var process = await StartAsync("serverless-basic.yaml", kubeconfig, "--fault-rate", "0.3", "--fault-kinds", "503,processed-then-dropped", "--fault-seed", "7");
        try
        {
            var server = File.ReadAllLines(kubeconfig).Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
            using var http = new HttpClient();
            var faults = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(server.TrimEnd('/') + "/"), "simulator/faults"), TestContext.Current.CancellationToken))!;
            Assert.Equal(["503", "processed-then-dropped"], faults["kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
            Assert.Equal(7, faults["seed"]!.GetValue<int>());
            Assert.Equal(0.3, faults["rate"]!.GetValue<double>());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task An_unknown_fault_kind_is_a_usage_error_naming_the_known_ones()
    {
        using var ws = new TempWorkspace();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { ToolProcess.DllPath("odh-migrate"), "simulator", "--snapshot", Path.Combine(RepoPaths.Samples, "serverless-basic.yaml"), "--kubeconfig-out", Path.Combine(ws.Path, "kubeconfig"), "--fault-kinds", "lost" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown fault kind 'lost'", output, StringComparison.Ordinal);
        Assert.Contains("processed-then-dropped", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(ws.Path, "kubeconfig")));
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

            // Generous: on a loaded 2-core machine (tests beside an AOT publish) the host's shutdown took over 15 s once;
            // what is asserted is that the signal ends the process with exit 0, not how fast.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
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
    private static async Task<System.Diagnostics.Process> StartAsync(string sample, string kubeconfig, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { ToolProcess.DllPath("odh-migrate"), "simulator", "--snapshot", Path.Combine(RepoPaths.Samples, sample), "--kubeconfig-out", kubeconfig }.Concat(options))
        {
            start.ArgumentList.Add(arg);
        }

        var process = System.Diagnostics.Process.Start(start)!;

        // Drained so a chatty simulator can never block on a full pipe (which would look like ignoring the signal).
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
