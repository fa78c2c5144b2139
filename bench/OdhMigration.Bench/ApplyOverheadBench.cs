using System.Diagnostics;
using System.Globalization;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Bench;

/// <summary>apply's own cost per ISVC (plan gate, ledger journal) against an in-memory cluster, without any API latency.</summary>
internal static class ApplyOverheadBench
{
    public static async Task<int> RunAsync()
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine overhead: 1000 ISVCs, {cluster.Requests.Count} requests, {watch.Elapsed.TotalSeconds:0.00} s"));
        return Target.Check(outcome.ExitCode == ExitCodes.Success, $"apply exit code {outcome.ExitCode} (expected {ExitCodes.Success})") ? 0 : 1;
    }
}
