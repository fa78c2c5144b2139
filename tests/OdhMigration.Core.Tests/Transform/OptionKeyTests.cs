using OdhMigration.Core.Manifests;
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

    private static async Task<Dictionary<string, System.Text.Json.Nodes.JsonObject>> PlannedIsvcsAsync(TempWorkspace ws, TransformOptions options, CancellationToken ct)
    {
        await new TransformEngine(new MemoryStageLog(), TransformerCatalog.All).RunAsync(options, ws.Layout, ct);
        var (plan, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadPlanAsync(ws.Layout, ct);
        return plan.Items.Where(i => i.Status == "ok").ToDictionary(
            i => i.Name,
            i => (System.Text.Json.Nodes.JsonObject)OdhMigration.Core.Manifests.Yaml.ParseSingle(File.ReadAllText(ws.Layout.Absolute(i.Files.Single(f => f.Kind == "InferenceService").Path)), i.Name)!);
    }

    [Fact]
    public async Task Storage_overrides_replace_the_location_and_drop_auto_versioning_for_that_model_only()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedModelMeshAsync(ct);
        var isvcs = await PlannedIsvcsAsync(ws, new TransformOptions
        {
            TargetNamespace = "mm-models-raw",
            StoragePaths = new Dictionary<string, string> { ["mnist"] = "mnist/versioned" },
            StorageUris = new Dictionary<string, string> { ["fraud-onnx"] = "s3://models/fraud" },
        }, ct);

        var mnist = isvcs["mnist"].At("spec", "predictor", "model")!;
        Assert.Equal("mnist/versioned", mnist.At("storage").Str("path"));
        Assert.Null(isvcs["mnist"].Annotation(OdhMigration.Core.Stages.Transform.ModelMesh.ModelMeshKeys.OvmsAutoVersioning));
        var fraud = isvcs["fraud-onnx"].At("spec", "predictor", "model")!;
        Assert.Equal("s3://models/fraud", fraud.Str("storageUri"));
        Assert.Null(fraud["storage"]);
        Assert.Null(isvcs["fraud-onnx"].Annotation(OdhMigration.Core.Stages.Transform.ModelMesh.ModelMeshKeys.OvmsAutoVersioning));
    }

    [Fact]
    public async Task Both_storage_overrides_for_one_model_refuse_it_and_the_others_go_on()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedModelMeshAsync(ct);
        var outcome = await new TransformEngine(new MemoryStageLog(), TransformerCatalog.All).RunAsync(new TransformOptions
        {
            TargetNamespace = "mm-models-raw",
            StoragePaths = new Dictionary<string, string> { ["mnist"] = "mnist/1" },
            StorageUris = new Dictionary<string, string> { ["mnist"] = "s3://models/mnist" },
        }, ws.Layout, ct);
        var (plan, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadPlanAsync(ws.Layout, ct);
        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Contains("both --storage-uri and --storage-path", Assert.Single(plan.Items, i => i.Name == "mnist").Error, StringComparison.Ordinal);
        Assert.Contains(plan.Items, i => i.Name != "mnist" && i.Status == "ok");
    }

    [Fact]
    public async Task Auto_versioning_is_on_by_default_for_kept_ovms_storage_and_off_with_the_option()
    {
        var ct = TestContext.Current.CancellationToken;
        using var on = await ExportedModelMeshAsync(ct);
        var withDefault = await PlannedIsvcsAsync(on, new TransformOptions { TargetNamespace = "mm-models-raw" }, ct);
        Assert.Contains(withDefault.Values, i => i.Annotation(OdhMigration.Core.Stages.Transform.ModelMesh.ModelMeshKeys.OvmsAutoVersioning) == "1");

        using var off = await ExportedModelMeshAsync(ct);
        var without = await PlannedIsvcsAsync(off, new TransformOptions { TargetNamespace = "mm-models-raw", OvmsAutoVersioning = false }, ct);
        Assert.Equal(withDefault.Keys.Order(), without.Keys.Order());
        Assert.All(without.Values, i => Assert.Null(i.Annotation(OdhMigration.Core.Stages.Transform.ModelMesh.ModelMeshKeys.OvmsAutoVersioning)));
    }
}
