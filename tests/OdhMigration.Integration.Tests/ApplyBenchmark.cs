using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// Not a timed unit test: run with --filter "Category=Benchmark". Applies 1,000 ISVCs (5 objects each) against the
/// simulator with 5 ms injected latency and compares with the ideal requests x latency / concurrency.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class ApplyBenchmark
{
    /// <param name="controllers">
    /// With the simulator's KServe controller, token controller and garbage collector on, they run in this process and
    /// share the machine's cores with apply (on a real cluster they run on the control plane). Off, the run measures
    /// apply's own request path. The 2x bound holds for both; the ideal uses the requested latency, and the line also
    /// gives the mean the simulator actually delivered.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_of_1000_isvcs_finishes_within_twice_the_ideal_time(bool controllers)
    {
        const int count = 1000;
        var latencyMs = int.Parse(Environment.GetEnvironmentVariable("BENCH_LATENCY_MS") ?? "5", CultureInfo.InvariantCulture);
        const int concurrency = 4;
        var ns = Manifest.NewObject(Kinds.Namespace, "bench", null);
        var options = controllers
            ? new SimulatorOptions { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) } }
            : new SimulatorOptions { KServe = new KServeControllerOptions { Enabled = false }, GarbageCollector = false, TokenController = false };
        await using var sim = await SimulatedCluster.StartAsync([new SnapshotObject(Kinds.Namespace, ns, "bench", 1)], options);
        using var ws = new PlanWorkspace();
        for (var i = 0; i < count; i++)
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
        sim.Faults(new FaultSettings(LatencyMs: latencyMs));
        sim.Host.Requests.Reset();

        var watch = Stopwatch.StartNew();
        var outcome = await new ApplyEngine(sim.Cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Concurrency = concurrency }, ws.Layout);
        watch.Stop();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var requests = sim.Host.Requests.Counters.Values.Sum();
        var ideal = TimeSpan.FromMilliseconds(requests * (double)latencyMs / concurrency);
        var line = string.Create(CultureInfo.InvariantCulture, $"apply benchmark (simulator controllers {(controllers ? "on" : "off")}): {count} ISVCs, {requests} requests, latency {latencyMs} ms (delivered mean {sim.Host.Faults.MeanInjectedLatency.TotalMilliseconds:0.00} ms), concurrency {concurrency}: {watch.Elapsed.TotalSeconds:0.0} s; ideal {ideal.TotalSeconds:0.0} s; ratio {watch.Elapsed / ideal:0.00}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(watch.Elapsed < ideal * 2, line);
    }

    private static JsonObject RoleBinding(string name)
    {
        var binding = Manifest.NewObject(Kinds.RoleBinding, $"{name}-raw-view", "bench");
        binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = $"{name}-raw-view-role" };
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = $"{name}-raw-sa", ["namespace"] = "bench" });
        return binding;
    }
}
