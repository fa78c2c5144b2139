using System.Diagnostics;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Apply;

/// <summary>The engine's own cost per ISVC (plan gate, ledger journal), without any API latency. Run with --filter "Category=Benchmark".</summary>
[Trait("Category", "Benchmark")]
public sealed class ApplyEngineOverheadBenchmark
{
    [Fact]
    public async Task Engine_overhead_for_1000_isvcs_against_an_in_memory_cluster()
    {
        using var ws = new PlanWorkspace();
        for (var i = 0; i < 1000; i++)
        {
            ws.Add("bench", $"m{i}", "side-by-side", [ServiceAccount("bench", $"m{i}-sa"), Runtime("bench", $"m{i}-raw"), Isvc("bench", $"m{i}-raw", "RawDeployment", $"m{i}-raw")]);
        }

        await ws.WriteAsync();
        var cluster = new InMemoryCluster();
        var watch = Stopwatch.StartNew();
        var outcome = await new ApplyEngine(cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, ws.Layout);
        watch.Stop();
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var line = $"engine overhead: 1000 ISVCs, {cluster.Requests.Count} requests, {watch.Elapsed.TotalSeconds:0.00} s";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }
}
