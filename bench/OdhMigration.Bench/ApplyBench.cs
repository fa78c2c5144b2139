using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Bench;

/// <summary>
/// apply's target (issue 10): 1,000 side-by-side ISVCs (5 objects each) against the in-process simulator with injected
/// latency finish within twice the ideal requests x latency / concurrency. Run twice: with the simulator's KServe
/// controller, token controller and garbage collector on (they share this process's cores with apply; on a real
/// cluster they run on the control plane) and off (apply's own request path). The bound is checked for both; the
/// ideal uses the requested latency, and the line also gives the mean the simulator actually delivered.
/// </summary>
internal static class ApplyBench
{
    private const int Count = 1000;
    private const int Concurrency = 4;

    public static async Task<int> RunAsync(int latencyMs)
    {
        var failures = 0;
        foreach (var controllers in new[] { false, true })
        {
            failures += await RunOnceAsync(controllers, latencyMs) ? 0 : 1;
        }

        return failures == 0 ? 0 : 1;
    }

    private static async Task<bool> RunOnceAsync(bool controllers, int latencyMs)
    {
        var ns = Manifest.NewObject(Kinds.Namespace, "bench", null);
        var options = controllers
            ? new SimulatorOptions { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) } }
            : new SimulatorOptions { KServe = new KServeControllerOptions { Enabled = false }, GarbageCollector = false, TokenController = false };

        // The real CRD schemas when the upstream files are at hand, as the integration tests' simulators serve them.
        await using var host = await SimulatorHost.StartAsync(options with { Crds = SharedCrdSchemas.OrNull }, [new SnapshotObject(Kinds.Namespace, ns, "bench", 1)]);
        var dir = Directory.CreateTempSubdirectory("odh-bench-apply-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await host.WriteKubeconfigAsync(kubeconfig);
            using var cluster = LiveCluster.Connect(new LiveClusterConnection(kubeconfig, null));
            using var ws = new PlanWorkspace();
            for (var i = 0; i < Count; i++)
            {
                var name = $"m{i:D4}";
                ws.Add("bench", name, "side-by-side",
                [
                    PlanWorkspace.ServiceAccount("bench", $"{name}-raw-sa"),
                    Manifest.NewObject(Kinds.Role, $"{name}-raw-view-role", "bench"),
                    RoleBinding(name),
                    PlanWorkspace.Runtime("bench", $"{name}-raw"),
                    PlanWorkspace.Isvc("bench", $"{name}-raw", "RawDeployment", $"{name}-raw"),
                ]);
            }

            await ws.WriteAsync();
            host.Faults.Settings = new FaultSettings(LatencyMs: latencyMs);
            host.Requests.Reset();

            var watch = Stopwatch.StartNew();
            var outcome = await new ApplyEngine(cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Concurrency = Concurrency }, ws.Layout);
            watch.Stop();

            var requests = host.Requests.Counters.Values.Sum();
            var ideal = TimeSpan.FromMilliseconds(requests * (double)latencyMs / Concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"apply benchmark (simulator controllers {(controllers ? "on" : "off")}): {Count} ISVCs, {requests} requests, latency {latencyMs} ms (delivered mean {host.Faults.MeanInjectedLatency.TotalMilliseconds:0.00} ms), concurrency {Concurrency}: {watch.Elapsed.TotalSeconds:0.0} s; ideal {ideal.TotalSeconds:0.0} s; ratio {watch.Elapsed / ideal:0.00}"));
            return Target.Check(outcome.ExitCode == ExitCodes.Success, $"apply exit code {outcome.ExitCode} (expected {ExitCodes.Success})")
                & Target.Check(watch.Elapsed < ideal * 2, $"apply took {watch.Elapsed.TotalSeconds:0.0} s, not within twice the ideal {ideal.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static JsonObject RoleBinding(string name)
    {
        var binding = Manifest.NewObject(Kinds.RoleBinding, $"{name}-raw-view", "bench");
        binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = $"{name}-raw-view-role" };
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = $"{name}-raw-sa", ["namespace"] = "bench" });
        return binding;
    }
}
