using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cluster.Tests.Live;

/// <summary>
/// The same objects give the same inventory and the same exported files whether read from a snapshot or through
/// LiveCluster's REST paths (here over an in-memory API that pages every 3 objects).
/// </summary>
public sealed class SnapshotAndLiveAgreeTests
{
    private static string SamplePath => Path.Combine(RepoPaths.Root, "samples", "serverless-basic.yaml");

    [Fact]
    public async Task Discover_and_export_agree_between_snapshot_and_live_backings()
    {
        var ct = TestContext.Current.CancellationToken;
        var snapshot = SnapshotCluster.Load(SamplePath);
        using var live = new LiveCluster(new HttpClient(new SnapshotApiHandler(snapshot)), new Uri("https://api.test:6443"));

        using var offlineWs = new TempWorkspace();
        using var liveWs = new TempWorkspace();
        var options = new DiscoverOptions { Namespaces = ["fraud-detection"], SkipPreflight = true };
        var (_, offline) = await new DiscoverEngine(snapshot, new MemoryStageLog()).RunAsync(options, offlineWs.Layout, ct);
        var (_, online) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(options, liveWs.Layout, ct);

        Assert.NotEmpty(offline.Items);
        Assert.Equal(Items(offline), Items(online));
        Assert.Equal(offline.Cluster, online.Cluster);

        var offlineExport = await new ExportEngine(snapshot, new MemoryStageLog()).RunAsync(new ExportOptions(), offlineWs.Layout, ct);
        var liveExport = await new ExportEngine(live, new MemoryStageLog()).RunAsync(new ExportOptions(), liveWs.Layout, ct);
        Assert.Equal((0, 0), (offlineExport.ExitCode, liveExport.ExitCode));

        var offlineFiles = Files(offlineWs.Layout);
        Assert.Contains(offlineFiles.Keys, k => k.EndsWith("60-inferenceservice-fraud-model.yaml", StringComparison.Ordinal));
        Assert.Equal(offlineFiles, Files(liveWs.Layout));
    }

    [Fact]
    public async Task Live_discover_asks_the_access_reviews_and_its_requests_do_not_grow_with_isvcs()
    {
        async Task<(int Requests, Inventory Inventory)> RunAsync(int isvcs)
        {
            // The sample holds the namespace itself (renamed here): a second copy is a duplicate the loader refuses.
            var docs = new List<string> { File.ReadAllText(SamplePath).Replace("fraud-detection", "p", StringComparison.Ordinal) };
            for (var i = 0; i < isvcs; i++)
            {
                docs.Add($$$$"""
                    apiVersion: serving.kserve.io/v1beta1
                    kind: InferenceService
                    metadata: {name: extra-{{{{i}}}}, namespace: p, annotations: {serving.kserve.io/deploymentMode: Serverless}}
                    spec: {predictor: {model: {modelFormat: {name: onnx, version: "1"}, runtime: fraud-model}}}
                    """);
            }

            var snapshot = new SnapshotCluster(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(string.Join("\n---\n", docs), "gen.yaml")), "gen");
            var handler = new SnapshotApiHandler(snapshot) { PageSize = 500 };
            using var live = new LiveCluster(new HttpClient(handler), new Uri("https://api.test:6443"));
            using var ws = new TempWorkspace();
            var (_, inventory) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["p"] }, ws.Layout, TestContext.Current.CancellationToken);
            return (handler.Requests, inventory);
        }

        var (few, inventory) = await RunAsync(2);
        var (many, _) = await RunAsync(80);
        Assert.Equal(few, many);
        Assert.NotEmpty(inventory.Preflight);
        Assert.All(inventory.Preflight, c => Assert.True(c.Allowed));
    }

    private static string Items(Inventory inventory)
    {
        var node = JsonSerializer.SerializeToNode(inventory, InventoryJsonContext.Default.Inventory)!;
        return node["items"]!.ToJsonString();
    }

    private static SortedDictionary<string, string> Files(WorkspaceLayout layout) =>
        new(Directory.EnumerateFiles(layout.Root, "*.yaml", SearchOption.AllDirectories)
            .ToDictionary(f => layout.Relative(f), File.ReadAllText), StringComparer.Ordinal);
}
