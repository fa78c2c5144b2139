using System.Diagnostics;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Export;

namespace OdhMigration.Bench;

/// <summary>Times the building blocks of export separately (run with "micro"), to see where time goes.</summary>
public static class Micro
{
    public static void Run(string snapshotPath)
    {
        var objects = SnapshotLoader.Load(snapshotPath).Select(o => o.Object).ToList();
        var sw = Stopwatch.StartNew();
        var copies = objects.Select(o => BackupCopy.Make(o).Copy).ToList();
        Console.WriteLine($"BackupCopy.Make x{objects.Count}: {sw.Elapsed.TotalSeconds:0.00} s");
        sw.Restart();
        var texts = copies.Select(Yaml.Serialize).ToList();
        Console.WriteLine($"Yaml.Serialize x{copies.Count}: {sw.Elapsed.TotalSeconds:0.00} s");
        sw.Restart();
        var parsed = Yaml.ParseDocuments(File.ReadAllText(snapshotPath), snapshotPath);
        Console.WriteLine($"Yaml.ParseDocuments ({parsed.Count} docs): {sw.Elapsed.TotalSeconds:0.00} s");
        sw.Restart();
        var dir = Path.Combine(Path.GetTempPath(), "odh-micro-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        for (var i = 0; i < texts.Count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"{i}.yaml"), texts[i]);
        }

        Console.WriteLine($"File.WriteAllText x{texts.Count}: {sw.Elapsed.TotalSeconds:0.00} s");
        Directory.Delete(dir, recursive: true);
    }
}

public static class MicroNs
{
    public static async Task RunAsync(string snapshotPath)
    {
        var cluster = SnapshotCluster.Load(snapshotPath);
        Console.WriteLine($"loaded: heap {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        var objects = await NamespaceObjects.ListAsync(cluster, SnapshotGenerator.Namespace, withPods: true, default);
        Console.WriteLine($"listed: heap {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        _ = objects.Isvc("x"); _ = objects.Secret("x"); _ = objects.Runtime("x");
        Console.WriteLine($"name indexes: heap {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        var auth = new AuthObjectFinder.AuthIndex(objects);
        Console.WriteLine($"auth index: heap {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        foreach (var isvc in objects.InferenceServices) { _ = BackupCopy.Make(isvc); }
        Console.WriteLine($"isvcs copied: heap {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        GC.KeepAlive(auth); GC.KeepAlive(objects);
    }
}
