using System.Diagnostics;
using System.Globalization;
using OdhMigration.Bench;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace;

// dotnet run -c Release --project bench/OdhMigration.Bench -- offline --isvcs 1000 [--keep]
// dotnet run -c Release --project bench/OdhMigration.Bench -- live --isvcs 1000 [--latency-ms 5] [--keep]
if (args.Length < 1 || args[0] is not ("offline" or "live"))
{
    Console.Error.WriteLine("usage: OdhMigration.Bench offline --isvcs <n> [--keep]\n       OdhMigration.Bench live --isvcs <n> [--latency-ms <ms>] [--keep]");
    return 2;
}

var isvcs = 1000;
var at = Array.IndexOf(args, "--isvcs");
if (at >= 0 && (at + 1 >= args.Length || !int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out isvcs) || isvcs < 1))
{
    Console.Error.WriteLine("--isvcs: expected a positive whole number");
    return 2;
}

var keep = args.Contains("--keep");
if (args[0] == "live")
{
    var latencyAt = Array.IndexOf(args, "--latency-ms");
    var latencyMs = 5;
    if (latencyAt >= 0 && (latencyAt + 1 >= args.Length || !int.TryParse(args[latencyAt + 1], CultureInfo.InvariantCulture, out latencyMs) || latencyMs < 0))
    {
        Console.Error.WriteLine("--latency-ms: expected a whole number of milliseconds, 0 or more");
        return 2;
    }

    return await LiveChain.RunAsync(isvcs, latencyMs, keep);
}

var workspace = Path.Combine(Path.GetTempPath(), "odh-bench-" + Guid.NewGuid().ToString("N")[..12]);
var total = Stopwatch.StartNew();

var watch = Stopwatch.StartNew();
// Through a file and SnapshotCluster.Load, exactly as --snapshot reads it (streamed, compacted per document).
var snapshotFile = Path.Combine(Path.GetTempPath(), "odh-bench-snapshot-" + Guid.NewGuid().ToString("N")[..12] + ".yaml");
await File.WriteAllTextAsync(snapshotFile, SyntheticCluster.Yaml(isvcs));
var cluster = SnapshotCluster.Load(snapshotFile);
File.Delete(snapshotFile);
var loadSeconds = watch.Elapsed.TotalSeconds;
using (var afterLoad = Process.GetCurrentProcess())
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after snapshot load: working set {afterLoad.WorkingSet64 / (1024.0 * 1024.0):F0} MB, peak so far {afterLoad.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB, managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024.0):F0} MB"));
}

var namespaces = Enumerable.Range(0, (isvcs + SyntheticCluster.IsvcsPerNamespace - 1) / SyntheticCluster.IsvcsPerNamespace)
    .Select(n => SyntheticCluster.Namespace(n * SyntheticCluster.IsvcsPerNamespace)).ToList();
var timings = new Dictionary<string, double>();
using var heap = new HeapSampler();
var heapByStage = new Dictionary<string, long>();
var progress = new StageTimer(timings, heap, heapByStage);
watch.Restart();
var result = await new PlanningChain(cluster, new MemoryStageLog(), progress).RunAsync(
    new PlanningChainOptions(new DiscoverOptions { Namespaces = namespaces, Mode = "serverless" }, new ExportOptions(), new TransformOptions()),
    new WorkspaceLayout(workspace));
var chainSeconds = watch.Elapsed.TotalSeconds;
total.Stop();

using var process = Process.GetCurrentProcess();
process.Refresh();
var planned = result.Plan?.Items.Count(i => i.Status == "ok") ?? 0;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"isvcs={isvcs} namespaces={namespaces.Count} planned={planned} exit={result.ExitCode}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot generate+parse: {loadSeconds:F2} s"));
foreach (var (stage, seconds) in timings)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage}: {seconds:F2} s, largest heap after a collection {heapByStage[stage] / (1024.0 * 1024.0):F0} MB"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"discover+export+transform: {chainSeconds:F2} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total wall: {total.Elapsed.TotalSeconds:F2} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process CPU time: {process.TotalProcessorTime.TotalSeconds:F2} s (machine load while measuring: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(" ")[0] : "n/a")} on {Environment.ProcessorCount} cores)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest managed heap right after a collection: {heap.MaxHeapAfterCollection / (1024.0 * 1024.0):F0} MB (live objects plus older garbage not yet collected; the working set adds the collector's gen0 budget, which depends on the machine's cache size)"));
if (keep)
{
    Console.WriteLine("workspace kept: " + workspace);
}
else
{
    Directory.Delete(workspace, recursive: true);
}

return planned == isvcs && result.ExitCode == 0 ? 0 : 1;
