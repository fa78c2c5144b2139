using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Transform;

public sealed class OptionKeyTests
{
    private static async Task<TempWorkspace> ExportedModelMeshAsync(CancellationToken ct)
    {
        var ws = new TempWorkspace();
        var cluster = SnapshotCluster.Load(Path.Combine(RepoPaths.Samples, "modelmesh-team.yaml"));
        var log = new MemoryStageLog();
        await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = ["mm-models"] }, ws.Layout, ct);
        await new ExportEngine(cluster, log).RunAsync(new ExportOptions(), ws.Layout, ct);
        return ws;
    }

    [Theory]
    [InlineData("--storage-path", "mnistt")]
    [InlineData("--storage-uri", "other-ns/mnist")]
    [InlineData("--runtime-template", "no-such-runtime")]
    public async Task Overrides_that_name_nothing_selected_are_usage_errors(string option, string key)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedModelMeshAsync(ct);
        var map = new Dictionary<string, string> { [key] = "x" };
        var options = new TransformOptions
        {
            TargetNamespace = "mm-models-raw",
            StoragePaths = option == "--storage-path" ? map : new Dictionary<string, string>(),
            StorageUris = option == "--storage-uri" ? map : new Dictionary<string, string>(),
            RuntimeTemplates = option == "--runtime-template" ? map : new Dictionary<string, string>(),
        };

        var ex = await Assert.ThrowsAsync<UsageException>(() => new TransformEngine(new MemoryStageLog(), TransformerCatalog.All).RunAsync(options, ws.Layout, ct));
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Plan));
    }

    [Fact]
    public async Task Overrides_by_name_or_namespace_and_name_are_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedModelMeshAsync(ct);
        var options = new TransformOptions
        {
            TargetNamespace = "mm-models-raw",
            StoragePaths = new Dictionary<string, string> { ["mnist"] = "mnist/1" },
            StorageUris = new Dictionary<string, string> { ["mm-models/fraud-onnx"] = "s3://models/fraud/1" },
            RuntimeTemplates = new Dictionary<string, string> { ["ovms-mm"] = "kserve-ovms" },
        };

        var outcome = await new TransformEngine(new MemoryStageLog(), TransformerCatalog.All).RunAsync(options, ws.Layout, ct);
        Assert.Equal("3", outcome.Results["planned"]);
    }
}
