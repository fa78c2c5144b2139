using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Transform;

/// <summary>
/// The ISVC changes between discover and export: transform follows the exported original and reports the change,
/// refusing the item when the deployment mode or runtime changed (docs/transform-serverless.md).
/// </summary>
public sealed class DiscoverDriftTests
{
    private const string CreditScoring = "credit-scoring";

    /// <summary>Discover reads the sample as it is; export reads it with <paramref name="from"/> replaced by <paramref name="to"/>.</summary>
    private static async Task<(Plan Plan, TempWorkspace Workspace)> PlanAfterChangeAsync(string sample, string ns, string from, string to, TransformOptions options, CancellationToken ct)
    {
        var ws = new TempWorkspace();
        using var scratch = new TempWorkspace();
        var text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, sample), ct);
        Assert.Equal(2, text.Split(from).Length); // the edit hits exactly one place
        var changed = Path.Combine(scratch.Path, sample);
        await File.WriteAllTextAsync(changed, text.Replace(from, to, StringComparison.Ordinal), ct);

        var log = new MemoryStageLog();
        await new DiscoverEngine(SnapshotCluster.Load(Path.Combine(RepoPaths.Samples, sample)), log).RunAsync(new DiscoverOptions { Namespaces = [ns] }, ws.Layout, ct);
        await new ExportEngine(SnapshotCluster.Load(changed), log).RunAsync(new ExportOptions(), ws.Layout, ct);
        await new TransformEngine(log, TransformerCatalog.All).RunAsync(options, ws.Layout, ct);
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(ws.Layout, ct);
        return (plan, ws);
    }

    private static Task<(Plan Plan, TempWorkspace Workspace)> ServerlessAfterChangeAsync(string from, string to, CancellationToken ct) =>
        PlanAfterChangeAsync("serverless-team.yaml", "ml-team", from, to, new TransformOptions(), ct);

    private static JsonObject PlannedIsvc(TempWorkspace ws, PlanItem item) =>
        (JsonObject)Yaml.ParseSingle(File.ReadAllText(ws.Layout.Absolute(item.Files.Single(f => f.Kind == "InferenceService").Path)), item.Name)!;

    [Fact]
    public async Task Auth_turned_off_after_discover_is_followed_and_reported()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("security.opendatahub.io/enable-auth: \"true\"", "security.opendatahub.io/enable-auth: \"false\"", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("ok", item.Status);
        Assert.Equal("false", PlannedIsvc(ws, item).Annotation("security.opendatahub.io/enable-auth"));
        Assert.DoesNotContain(item.Create, o => o.Kind == "ServiceAccount");
        Assert.Contains("changed since discover: auth was enabled at discover, the exported original says disabled", item.Warnings);
        Assert.All(plan.Items.Where(i => i.Name != CreditScoring), i => Assert.DoesNotContain(i.Warnings, w => w.Contains("since discover", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_changed_model_format_is_taken_from_the_exported_original_and_reported()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("        name: onnx\n        version: \"1\"\n      runtime: credit-scoring", "        name: openvino_ir\n        version: opset13\n      runtime: credit-scoring", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("ok", item.Status);
        var format = PlannedIsvc(ws, item).At("spec", "predictor", "model", "modelFormat");
        Assert.Equal("openvino_ir", format.Str("name"));
        Assert.Equal("opset13", format.Str("version"));
        Assert.Contains("changed since discover: model format was onnx 1 at discover, the exported original says openvino_ir opset13", item.Warnings);
    }

    [Fact]
    public async Task A_changed_deployment_mode_refuses_the_item_and_names_both_modes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("    serving.kserve.io/deploymentMode: Serverless\n    security.opendatahub.io/enable-auth", "    serving.kserve.io/deploymentMode: ModelMesh\n    security.opendatahub.io/enable-auth", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("failed", item.Status);
        Assert.Contains("deploymentMode was Serverless at discover, the exported original says ModelMesh", item.Error, StringComparison.Ordinal);
        Assert.Contains("run discover and export again", item.Error, StringComparison.Ordinal);
        Assert.Empty(item.Files);
        Assert.Contains(plan.Items, i => i.Name != CreditScoring && i.Status == "ok");
    }

    [Fact]
    public async Task A_runtime_named_differently_after_discover_refuses_the_item()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("      runtime: credit-scoring", "      runtime: churn-runtime", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("failed", item.Status);
        Assert.Contains("ServingRuntime was credit-scoring at discover, the exported original says churn-runtime", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ModelMesh_isvc_annotated_Serverless_after_discover_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await PlanAfterChangeAsync(
            "modelmesh-team.yaml",
            "mm-models",
            "    openshift.io/display-name: mnist\n    serving.kserve.io/deploymentMode: ModelMesh",
            "    openshift.io/display-name: mnist\n    serving.kserve.io/deploymentMode: Serverless",
            new TransformOptions { TargetNamespace = "mm-models-raw" },
            ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == "mnist");
        Assert.Equal("failed", item.Status);
        Assert.Contains("deploymentMode was ModelMesh at discover, the exported original says Serverless", item.Error, StringComparison.Ordinal);
        Assert.Contains(plan.Items, i => i.Name != "mnist" && i.Status == "ok");
    }

    [Fact]
    public async Task A_data_connection_changed_after_discover_refuses_the_item()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("        key: aws-connection-models\n        path: credit/model.onnx", "        key: aws-connection-other\n        path: credit/model.onnx", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("failed", item.Status);
        Assert.Contains("storage key was aws-connection-models at discover, the exported original says aws-connection-other", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_mode_annotation_keeps_discovers_mode_with_a_warning()
    {
        var ct = TestContext.Current.CancellationToken;
        var (plan, ws) = await ServerlessAfterChangeAsync("    serving.kserve.io/deploymentMode: Serverless\n    security.opendatahub.io/enable-auth", "    security.opendatahub.io/enable-auth", ct);
        using var _ = ws;

        var item = Assert.Single(plan.Items, i => i.Name == CreditScoring);
        Assert.Equal("ok", item.Status);
        Assert.Equal("Serverless", item.SourceMode);
        Assert.Contains(item.Warnings, w => w.StartsWith("changed since discover: the serving.kserve.io/deploymentMode annotation (Serverless at discover) is gone", StringComparison.Ordinal));
    }
}
