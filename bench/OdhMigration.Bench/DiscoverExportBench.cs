using System.Diagnostics;
using System.Globalization;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Bench;

/// <summary>
/// discover + export of one generated namespace of N ISVCs in one process (issue 6): generates a snapshot, then times
/// loading it, discover and export, and reports the process's peak working set. The two stages run as separate
/// engines, not through PlanningChain, because the target is discover + export without transform, and export reads
/// inventory.json itself, as the separate odh-export process does.
/// </summary>
internal static class DiscoverExportBench
{
    public static async Task<int> RunAsync(int isvcs, string? workDir)
    {
        var root = workDir ?? Path.Combine(Path.GetTempPath(), "odh-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        var snapshotPath = Path.Combine(root, "snapshot.yaml");
        var workspace = Path.Combine(root, "workspace");
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }

        var generate = Stopwatch.StartNew();
        SnapshotGenerator.Write(snapshotPath, isvcs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {isvcs} ISVCs (+5 objects each) in {generate.Elapsed.TotalSeconds:0.00} s: {new FileInfo(snapshotPath).Length / 1024.0 / 1024.0:0.0} MB"));

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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log: {log.Lines.Count} lines, {log.Lines.Sum(l => l.Message.Length)} chars"));

        long maxHeapAfterGc = 0;
        StageOutcome exported;
        using (new Timer(_ => maxHeapAfterGc = Math.Max(maxHeapAfterGc, GC.GetGCMemoryInfo().HeapSizeBytes), null, 0, 100))
        {
            var export = Stopwatch.StartNew();
            exported = await new ExportEngine(cluster, log).RunAsync(new ExportOptions(), layout);
            export.Stop();
            total.Stop();
            Memory("after export");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"export: largest heap after a GC {maxHeapAfterGc / 1024.0 / 1024.0:0} MB"));

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var files = Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories).Count();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load snapshot : {load.Elapsed.TotalSeconds,7:0.00} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"discover      : {discover.Elapsed.TotalSeconds,7:0.00} s  (exit {discovered.ExitCode}, {selected} selected)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"export        : {export.Elapsed.TotalSeconds,7:0.00} s  (exit {exported.ExitCode}, {exported.Results["exported"]} exported, {files} files)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total         : {total.Elapsed.TotalSeconds,7:0.00} s wall, {process.TotalProcessorTime.TotalSeconds:0.00} s CPU (user+system, whole process incl. generation)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine       : {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB; GC heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB; allocated {GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0:0} MB"));
        }

        return discovered.ExitCode == ExitCodes.Success && exported.ExitCode == ExitCodes.Success ? 0 : 1;
    }

    private static async Task<(StageOutcome Outcome, int Selected)> DiscoverAsync(SnapshotCluster cluster, MemoryStageLog log, WorkspaceLayout layout)
    {
        var (outcome, inventory) = await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = [SnapshotGenerator.Namespace] }, layout);
        return (outcome, inventory.Items.Count(i => i.Selected));
    }

    // Peak so far and live heap after a full collection: which phase holds the memory.
    private static void Memory(string phase)
    {
        using var p = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-15}: peak working set {p.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB, live heap {GC.GetTotalMemory(true) / 1024.0 / 1024.0:0} MB"));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
