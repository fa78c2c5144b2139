using System.Diagnostics;
using System.Globalization;
using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Bench;

/// <summary>
/// The whole chain, each stage's real engine in turn, against the in-process simulator over HTTP with injected latency:
/// wall time and API requests per stage. The simulator's controllers run in the same process, as in the tests.
/// </summary>
internal static class LiveChain
{
    public static async Task<int> RunAsync(int isvcs, int latencyMs, bool keep)
    {
        var root = Directory.CreateTempSubdirectory("odh-bench-live-").FullName;
        var snapshotFile = Path.Combine(root, "snapshot.yaml");
        await File.WriteAllTextAsync(snapshotFile, SyntheticCluster.Yaml(isvcs));
        var options = new SimulatorOptions { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) } };
        await using var host = await SimulatorHost.StartAsync(options, SnapshotLoader.Load(snapshotFile));
        var kubeconfig = Path.Combine(root, "kubeconfig");
        await host.WriteKubeconfigAsync(kubeconfig);
        using var cluster = LiveCluster.Connect(new LiveClusterConnection(kubeconfig, null));
        var layout = new WorkspaceLayout(Path.Combine(root, "workspace"));
        var log = new MemoryStageLog();
        var namespaces = Enumerable.Range(0, (isvcs + SyntheticCluster.IsvcsPerNamespace - 1) / SyntheticCluster.IsvcsPerNamespace)
            .Select(n => SyntheticCluster.Namespace(n * SyntheticCluster.IsvcsPerNamespace)).ToList();
        host.Faults.Settings = new FaultSettings(LatencyMs: latencyMs);

        var rows = new List<(string Stage, double Seconds, long Requests, int Exit)>();
        async Task<StageOutcome> Stage(string name, Func<Task<StageOutcome>> run)
        {
            host.Requests.Reset();
            var watch = Stopwatch.StartNew();
            var outcome = await run();
            rows.Add((name, watch.Elapsed.TotalSeconds, host.Requests.Counters.Values.Sum(), outcome.ExitCode));
            return outcome;
        }

        var total = Stopwatch.StartNew();
        // discover -> export -> transform through the same PlanningChain the dry-run commands use; its stage events
        // reset the request counters and the clock, as Stage does for the writing stages below.
        var planning = new PlanningStageMeter(host.Requests);
        var chain = await new PlanningChain(cluster, log, planning).RunAsync(
            new PlanningChainOptions(new DiscoverOptions { Namespaces = namespaces, Mode = "serverless" }, new ExportOptions(), new TransformOptions { Strategy = "side-by-side" }),
            layout);
        foreach (var (stage, outcome) in chain.Stages)
        {
            var (seconds, requests) = planning.Measured[stage];
            rows.Add((stage, seconds, requests, outcome.ExitCode));
        }

        if (chain.Plan is null)
        {
            Console.Error.WriteLine("the planning chain stopped before transform; workspace kept: " + root);
            return 1;
        }

        var transform = chain.Stages.Single(s => s.Stage == "transform").Outcome;
        await Stage("apply", () => new ApplyEngine(cluster, log).RunAsync(new ApplyOptions { ExpectPlanSha256 = transform.Results["plan-sha256"], PollInterval = TimeSpan.FromMilliseconds(100) }, layout));
        var validate = await Stage("validate", () => new ValidateEngine(cluster, log).RunAsync(new ValidateOptions { Timeout = TimeSpan.FromMinutes(5), PollInterval = TimeSpan.FromMilliseconds(200) }, layout));
        await Stage("cleanup", () => new CleanupEngine(cluster, log).RunAsync(new CleanupOptions { ExpectValidationSha256 = validate.Results.GetValueOrDefault("validation-sha256"), PollInterval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMinutes(5) }, layout));
        total.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"live chain: {isvcs} Serverless ISVCs in {namespaces.Count} namespace(s), side-by-side, {latencyMs} ms injected latency (delivered mean {host.Faults.MeanInjectedLatency.TotalMilliseconds:0.00} ms)"));
        Console.WriteLine("stage       seconds  requests  requests/ISVC  exit");
        foreach (var (stage, seconds, requests, exit) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-10} {seconds,8:F2} {requests,9} {requests / (double)isvcs,14:F2} {exit,5}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total      {total.Elapsed.TotalSeconds,8:F2} {rows.Sum(r => r.Requests),9}"));
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set (simulator included): {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB"));
        }

        var failed = rows.Where(r => r.Exit != ExitCodes.Success).ToList();
        foreach (var line in log.Lines.Where(l => l.Level == LogLevel.Error).Take(10))
        {
            Console.Error.WriteLine(line.Message);
        }

        if (keep)
        {
            Console.WriteLine("workspace kept: " + root);
        }
        else
        {
            Directory.Delete(root, recursive: true);
        }

        return failed.Count == 0 ? 0 : 1;
    }
}
