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

// Every benchmark runs one way: dotnet run -c Release --project bench/OdhMigration.Bench -- <benchmark> [options]
// (docs/performance.md). A benchmark with a target exits 1 and prints TARGET MISSED when the run misses it.
const string Usage = """
    usage: OdhMigration.Bench <benchmark> [options]
      offline --isvcs <n> [--keep]                      discover+export+transform offline (PlanningChain)
      live --isvcs <n> [--latency-ms <ms>] [--keep]     every stage against the in-process simulator over HTTP
      discover-export [--isvcs <n>] [--work-dir <dir>]  discover+export of one namespace (default 10000 ISVCs)
      micro [--isvcs <n>]                               export's building blocks, timed separately
      micro-ns --work-dir <dir>                         per-namespace listing of a discover-export snapshot
      apply [--latency-ms <ms>]                         apply of 1000 ISVCs within twice the ideal time (target)
      apply-overhead                                    apply engine's own cost, in-memory cluster
      simulator                                         simulator loads and lists 10000 ISVCs in 5 s, 1 GB (target)
    """;
if (args.Length < 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (BenchArgs.Int(args, "--isvcs", args[0] is "discover-export" ? 10_000 : 1000, 1) is not { } isvcs
    || BenchArgs.Int(args, "--latency-ms", 5, 0) is not { } latencyMs)
{
    return 2;
}

var keep = args.Contains("--keep");
var workDir = BenchArgs.Text(args, "--work-dir");
switch (args[0])
{
    case "offline":
        break;
    case "live":
        return await LiveChain.RunAsync(isvcs, latencyMs, keep);
    case "discover-export":
        return await DiscoverExportBench.RunAsync(isvcs, workDir);
    case "micro":
        var microSnapshot = Path.Combine(Path.GetTempPath(), "odh-micro.yaml");
        SnapshotGenerator.Write(microSnapshot, isvcs);
        Micro.Run(microSnapshot);
        return 0;
    case "micro-ns" when workDir is not null:
        await MicroNs.RunAsync(Path.Combine(workDir, "snapshot.yaml"));
        return 0;
    case "apply":
        return await ApplyBench.RunAsync(latencyMs);
    case "apply-overhead":
        return await ApplyOverheadBench.RunAsync();
    case "simulator":
        return await SimulatorLoadBench.RunAsync();
    default:
        Console.Error.WriteLine(Usage);
        return 2;
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
