using System.Text.Json.Nodes;
using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Integration.Tests.K3s;

/// <summary>
/// The whole chain against a real Kubernetes API server (K3s) instead of the simulator: real admission, real CRD
/// schemas and pruning, real server-side apply and garbage collection. The test plays KServe's controller by setting
/// the new InferenceService's status once apply created it.
/// </summary>
public sealed class K3sChainTests(K3sCluster k3s) : IClassFixture<K3sCluster>
{
    private const string Namespace = "fraud-detection";

    [Fact]
    public async Task Serverless_sample_migrates_side_by_side_validates_and_cleans_up_on_k3s()
    {
        K3sCluster.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        using var cluster = LiveCluster.Connect(new LiveClusterConnection(k3s.KubeconfigPath, null));
        await SeedAsync(cluster, Path.Combine(RepoPaths.Samples, "serverless-basic.yaml"), ct);
        using var ws = new TempWorkspace();
        var log = new MemoryStageLog();
        string Logs() => string.Join("\n", log.Lines.Select(l => $"{l.Level}: {l.Message}"));

        var (discovered, inventory) = await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = [Namespace], Mode = "serverless" }, ws.Layout, ct);
        Assert.True(discovered.ExitCode == ExitCodes.Success, Logs());
        Assert.Contains(inventory.Items, i => i.Selected);
        Assert.Equal(ExitCodes.Success, (await new ExportEngine(cluster, log).RunAsync(new ExportOptions(), ws.Layout, ct)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await new TransformEngine(log, TransformerCatalog.All).RunAsync(new TransformOptions(), ws.Layout, ct)).ExitCode);
        var plan = (await WorkspaceDocuments.ReadPlanAsync(ws.Layout, ct)).Document;

        // A server-side dry run first: the real API server admits every planned object, and nothing is created.
        var dryRun = await new ApplyEngine(cluster, log).RunAsync(new ApplyOptions { DryRun = true }, ws.Layout, ct);
        Assert.True(dryRun.ExitCode == ExitCodes.Success, $"dry run: {dryRun.Summary}\n{Logs()}");
        foreach (var item in plan.Items)
        {
            Assert.Null(await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct));
        }

        var applied = await new ApplyEngine(cluster, log).RunAsync(new ApplyOptions { PollInterval = TimeSpan.FromMilliseconds(200) }, ws.Layout, ct);
        Assert.True(applied.ExitCode == ExitCodes.Success, $"apply: {applied.Summary}\n{Logs()}");

        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            var created = await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct);
            Assert.NotNull(created);
            Assert.Equal("RawDeployment", created.Annotation(DeploymentMode.AnnotationKey));
            await k3s.SetStatusAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ReadyRawStatus(item.TargetNamespace, item.TargetName));
        }

        var validated = await new ValidateEngine(cluster, log).RunAsync(new ValidateOptions { Timeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(500) }, ws.Layout, ct);
        Assert.True(validated.ExitCode == ExitCodes.Success, $"validate: {validated.Summary}\n{Logs()}");
        var cleaned = await new CleanupEngine(cluster, log).RunAsync(
            new CleanupOptions { ExpectValidationSha256 = validated.Results["validation-sha256"], PollInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(60) }, ws.Layout, ct);
        Assert.True(cleaned.ExitCode == ExitCodes.Success, $"cleanup: {cleaned.Summary}\n{Logs()}");

        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            Assert.Null(await cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name, ct));
            Assert.NotNull(await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct));
            Assert.All(item.DeleteOnCleanup.Where(d => d.BackupFile is not null), d => Assert.True(File.Exists(ws.Layout.Absolute(d.BackupFile!)), d.BackupFile));
        }
    }

    /// <summary>Creates the snapshot's namespaces, then its objects by server-side apply, then the status KServe had written.</summary>
    private async Task SeedAsync(LiveCluster cluster, string snapshot, CancellationToken ct)
    {
        var objects = SnapshotLoader.Load(snapshot);
        var namespaces = objects.Select(o => o.Object.Namespace()).OfType<string>().Concat(objects.Where(o => o.Kind.Kind == "Namespace").Select(o => o.Object.Name())).Distinct();
        foreach (var ns in namespaces)
        {
            await cluster.ApplyAsync(Manifest.NewObject(Kinds.Namespace, ns, null), new WriteOptions(FieldManager: "k3s-test"), ct);
        }

        foreach (var snapshotObject in objects.Where(o => o.Kind.Kind != "Namespace"))
        {
            var copy = snapshotObject.Object.DeepCopy();
            ServerFields.StripForNewObject(copy);
            copy.Remove("status");
            await cluster.ApplyAsync(copy, new WriteOptions(FieldManager: "k3s-test"), ct);
            if (snapshotObject.Object["status"] is JsonObject status && snapshotObject.Kind.Kind == "InferenceService")
            {
                await k3s.SetStatusAsync(snapshotObject.Kind, copy.Namespace()!, copy.Name(), (JsonObject)status.DeepClone());
            }
        }
    }

    private static JsonObject ReadyRawStatus(string ns, string name) => new()
    {
        ["url"] = $"http://{name}-predictor.{ns}.svc.cluster.local",
        ["deploymentMode"] = "RawDeployment",
        ["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "PredictorReady", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" },
            new JsonObject { ["type"] = "IngressReady", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" },
            new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" }),
    };
}
