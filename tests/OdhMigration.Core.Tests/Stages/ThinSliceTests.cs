using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Core.Tests.Stages;

/// <summary>The offline discover -> export -> transform chain on the shipped sample proves the workspace contract.</summary>
public sealed class ThinSliceTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-basic.yaml");

    private static async Task RunChainAsync(TempWorkspace ws, CancellationToken ct)
    {
        var chain = await new PlanningChain(SnapshotCluster.Load(Sample), new MemoryStageLog(), NullProgressSink.Instance).RunAsync(
            new PlanningChainOptions(new DiscoverOptions { Namespaces = ["fraud-detection"] }, new ExportOptions(), new TransformOptions()), ws.Layout, ct);
        Assert.Equal(["discover", "export", "transform"], chain.Stages.Select(s => s.Stage));
        Assert.Equal([0, 0, 0], chain.Stages.Select(s => s.Outcome.ExitCode));
    }

    [Fact]
    public async Task Chain_writes_the_documented_layout()
    {
        using var ws = new TempWorkspace();
        await RunChainAsync(ws, TestContext.Current.CancellationToken);

        foreach (var file in new[] { "inventory.json", "export.json", "plan.json" })
        {
            Assert.True(File.Exists(Path.Combine(ws.Path, file)), file);
        }

        var isvcDir = ws.Layout.IsvcDir("fraud-detection", "fraud-model");
        Assert.Equal(
            ["50-servingruntime-fraud-model.yaml", "60-inferenceservice-fraud-model.yaml", "70-route-fraud-model-fraud-detection.yaml"],
            Directory.GetFiles(Path.Combine(isvcDir, "original")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["50-servingruntime-fraud-model-raw.yaml", "60-inferenceservice-fraud-model-raw.yaml"],
            Directory.GetFiles(Path.Combine(isvcDir, "raw")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["50-servingruntime-fraud-model.yaml", "60-inferenceservice-fraud-model.yaml"],
            Directory.GetFiles(Path.Combine(isvcDir, "raw-original-names")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_stage_records_the_sha256_of_what_it_consumed()
    {
        using var ws = new TempWorkspace();
        var ct = TestContext.Current.CancellationToken;
        await RunChainAsync(ws, ct);

        var (export, _) = await WorkspaceDocuments.ReadExportAsync(ws.Layout, ct);
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(ws.Layout, ct);
        Assert.Equal(await Hashing.Sha256FileAsync(ws.Layout.Inventory, ct), Assert.Single(export.Consumed).Sha256);
        Assert.Equal(
            [await Hashing.Sha256FileAsync(ws.Layout.Inventory, ct), await Hashing.Sha256FileAsync(ws.Layout.Export, ct)],
            plan.Consumed.Select(c => c.Sha256));

        var item = Assert.Single(plan.Items);
        Assert.Equal(("side-by-side", "fraud-model-raw", "fraud-detection/fraud-model/raw"), (item.Strategy, item.TargetName, item.ApplyDir));
        foreach (var file in item.Files)
        {
            Assert.Equal(file.Sha256, await Hashing.Sha256FileAsync(ws.Layout.Absolute(file.Path), ct));
        }

        Assert.Equal(["ServingRuntime", "InferenceService"], item.Create.Select(c => c.Kind));
    }

    [Fact]
    public async Task Side_by_side_isvc_is_raw_deployment_without_serverless_keys()
    {
        using var ws = new TempWorkspace();
        await RunChainAsync(ws, TestContext.Current.CancellationToken);

        var path = Path.Combine(ws.Layout.Raw("fraud-detection", "fraud-model"), "60-inferenceservice-fraud-model-raw.yaml");
        var isvc = (JsonObject)Yaml.ParseSingle(File.ReadAllText(path), path)!;
        Assert.Equal("RawDeployment", isvc.Annotation("serving.kserve.io/deploymentMode"));
        Assert.Equal("fraud-model-raw", isvc.At("spec", "predictor", "model").Str("runtime"));
        Assert.DoesNotContain(isvc.Annotations().Keys, k => k.Contains("istio", StringComparison.Ordinal) || k.Contains("knative", StringComparison.Ordinal));
        Assert.Null(isvc["status"]);
        Assert.Null(isvc.Uid());
        Assert.Null(isvc.At("metadata", "finalizers"));
    }

    [Fact]
    public async Task No_secret_value_from_the_snapshot_reaches_the_workspace()
    {
        using var ws = new TempWorkspace();
        await RunChainAsync(ws, TestContext.Current.CancellationToken);

        foreach (var file in Directory.EnumerateFiles(ws.Path, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("sample-secret-value-not-real", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sample-access-key", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Export_copies_reapply_without_server_fields()
    {
        using var ws = new TempWorkspace();
        await RunChainAsync(ws, TestContext.Current.CancellationToken);

        var path = Path.Combine(ws.Layout.Original("fraud-detection", "fraud-model"), "60-inferenceservice-fraud-model.yaml");
        var isvc = (JsonObject)Yaml.ParseSingle(File.ReadAllText(path), path)!;
        Assert.Null(isvc["status"]);
        foreach (var field in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields" })
        {
            Assert.Null(isvc.Metadata()[field]);
        }

        Assert.Equal("Serverless", isvc.Annotation("serving.kserve.io/deploymentMode"));
    }
}
