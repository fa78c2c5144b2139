using System.Diagnostics;
using System.Globalization;
using OdhMigration.Bench;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Workspace;

// Usage: dotnet run -c Release --project bench/OdhMigration.Bench -- [isvcs=10000] [work-dir]
// Generates a snapshot, then times loading it, discover and export, and reports the process's peak working set.
if (args.Length > 0 && args[0] == "ns")
{
    await MicroNs.RunAsync(Path.Combine(args[1], "snapshot.yaml"));
    return 0;
}

if (args.Length > 0 && args[0] == "micro")
{
    var path = Path.Combine(Path.GetTempPath(), "odh-micro.yaml");
    SnapshotGenerator.Write(path, int.Parse(args[1], CultureInfo.InvariantCulture));
    Micro.Run(path);
    return 0;
}

var isvcs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var root = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "odh-bench-" + Environment.ProcessId);
Directory.CreateDirectory(root);
var snapshotPath = Path.Combine(root, "snapshot.yaml");
var workspace = Path.Combine(root, "workspace");
if (Directory.Exists(workspace))
{
    Directory.Delete(workspace, recursive: true);
}

var generate = Stopwatch.StartNew();
SnapshotGenerator.Write(snapshotPath, isvcs);
Console.WriteLine($"generated {isvcs} ISVCs (+5 objects each) in {generate.Elapsed.TotalSeconds:0.00} s: {new FileInfo(snapshotPath).Length / 1024.0 / 1024.0:0.0} MB");

var log = new MemoryStageLog();
var layout = new WorkspaceLayout(workspace);
var total = Stopwatch.StartNew();

var load = Stopwatch.StartNew();
var cluster = SnapshotCluster.Load(snapshotPath);
load.Stop();
Memory("after load");

var discover = Stopwatch.StartNew();
// Only the count is kept: export reads inventory.json itself, as the separate odh-export process does.
var (discovered, selected) = await DiscoverAsync(cluster, log, layout);
discover.Stop();
Memory("after discover");
Console.WriteLine($"log: {log.Lines.Count} lines, {log.Lines.Sum(l => l.Message.Length)} chars");

long maxHeapAfterGc = 0;
using var sampler = new Timer(_ => maxHeapAfterGc = Math.Max(maxHeapAfterGc, GC.GetGCMemoryInfo().HeapSizeBytes), null, 0, 100);
var export = Stopwatch.StartNew();
var exported = await new ExportEngine(cluster, log).RunAsync(new ExportOptions(), layout);
export.Stop();
total.Stop();
Memory("after export");
Console.WriteLine($"export: largest heap after a GC {maxHeapAfterGc / 1024.0 / 1024.0:0} MB");

using var process = Process.GetCurrentProcess();
process.Refresh();
var files = Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories).Count();
Console.WriteLine($"load snapshot : {load.Elapsed.TotalSeconds,7:0.00} s");
Console.WriteLine($"discover      : {discover.Elapsed.TotalSeconds,7:0.00} s  (exit {discovered.ExitCode}, {selected} selected)");
Console.WriteLine($"export        : {export.Elapsed.TotalSeconds,7:0.00} s  (exit {exported.ExitCode}, {exported.Results["exported"]} exported, {files} files)");
Console.WriteLine($"total         : {total.Elapsed.TotalSeconds,7:0.00} s wall, {process.TotalProcessorTime.TotalSeconds:0.00} s CPU (user+system, whole process incl. generation)");
Console.WriteLine($"machine       : {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB; GC heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB; allocated {GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0:0} MB");
static async Task<(OdhMigration.Core.Common.StageOutcome Outcome, int Selected)> DiscoverAsync(SnapshotCluster cluster, MemoryStageLog log, WorkspaceLayout layout)
{
    var (outcome, inventory) = await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = [SnapshotGenerator.Namespace] }, layout);
    return (outcome, inventory.Items.Count(i => i.Selected));
}

// Peak so far and live heap after a full collection: which phase holds the memory.
static void Memory(string phase)
{
    using var p = Process.GetCurrentProcess();
    Console.WriteLine($"{phase,-15}: peak working set {p.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB, live heap {GC.GetTotalMemory(true) / 1024.0 / 1024.0:0} MB");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

return discovered.ExitCode == ExitCodes.Success && exported.ExitCode == ExitCodes.Success ? 0 : 1;
