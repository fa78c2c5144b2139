using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Transform.Serverless;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Tests.Transform.Serverless;

public sealed class ServerlessTransformTests
{
    private static string Case(string name) => Path.Combine(ServerlessGoldenTests.CasesDir, name, "snapshot.yaml");

    private static string Common => Path.Combine(ServerlessGoldenTests.CasesDir, "_common", "cluster.yaml");

    [Theory]
    [InlineData("sidecar.istio.io/inject", true)]
    [InlineData("serving.knative.openshift.io/enablePassthrough", true)]
    [InlineData("serving.knative.dev/creator", true)]
    [InlineData("autoscaling.knative.dev/min-scale", true)]
    [InlineData("networking.knative.dev/visibility", true)]
    [InlineData("istio.io/rev", true)]
    [InlineData("team.example.com/knative-migration-owner", false)]
    [InlineData("istio-team", false)]
    [InlineData("example.com/istio", false)]
    [InlineData("notknative.dev/x", false)]
    [InlineData("networking.kserve.io/visibility", false)]
    [InlineData("security.opendatahub.io/enable-auth", false)]
    public void Key_rule_matches_istio_and_knative_domains_only(string key, bool removed) =>
        Assert.Equal(removed, ServerlessKeys.IsServerlessKey(key));

    [Fact]
    public async Task Two_isvcs_sharing_a_runtime_produce_identical_raw_runtime_files()
    {
        using var runner = new PipelineRunner();
        await runner.RunAsync(PipelineRunner.LoadSnapshot(Common, Case("shared-runtime")), new TransformOptions());

        var files = runner.GeneratedFiles();
        var a = files["shared/model-a/raw/50-servingruntime-shared-ovms-raw.yaml"];
        var b = files["shared/model-b/raw/50-servingruntime-shared-ovms-raw.yaml"];
        Assert.Equal(a, b);
        var usage = Assert.Single(runner.Plan!.Runtimes);
        Assert.Equal(["model-c"], usage.StillUsedBy);
        Assert.False(usage.SafeToDelete);
        Assert.DoesNotContain(runner.Plan.Items.SelectMany(i => i.DeleteOnCleanup), d => d.Kind == "ServingRuntime");
    }

    [Fact]
    public async Task A_container_explainer_is_kept_as_it_was_and_validates()
    {
        var snapshot = PipelineRunner.LoadSnapshot(Common, Case("transformer")).ToList();
        var isvc = snapshot.Single(o => o.Object.Kind() == "InferenceService").Object;
        var explainer = (JsonObject)Yaml.ParseSingle("""
            minReplicas: 1
            timeout: 60
            containers:
              - name: kserve-container
                image: quay.io/example/explainer:1.0
                args: [--model_name, image-classifier, --predictor_host, image-classifier-predictor]
                resources: {requests: {cpu: 500m, memory: 1Gi}}
            """, "explainer")!;
        isvc["spec"]!["explainer"] = explainer.DeepClone();
        using var runner = new PipelineRunner();
        await runner.RunAsync(snapshot, new TransformOptions());

        var item = Assert.Single(runner.Plan!.Items);
        Assert.True(item.Status == "ok", item.Error);
        var raw = runner.GeneratedObjects().Single(o => o.Kind() == "InferenceService" && o.Name() == "image-classifier-raw");
        Assert.True(JsonNode.DeepEquals(explainer, raw.At("spec", "explainer")), raw.At("spec", "explainer")?.ToJsonString());
        CrdAssert.ValidAgainstCrds(runner.GeneratedObjects());
    }

    [Fact]
    public async Task Runtime_is_deleted_on_cleanup_once_every_user_is_migrated()
    {
        var snapshot = PipelineRunner.LoadSnapshot(Common, Case("shared-runtime")).Where(o => o.Object.Name() != "model-c").ToList();
        using var runner = new PipelineRunner();
        await runner.RunAsync(snapshot, new TransformOptions());

        Assert.True(Assert.Single(runner.Plan!.Runtimes).SafeToDelete);
        Assert.All(runner.Plan.Items, i => Assert.Contains(i.DeleteOnCleanup, d => d.Kind == "ServingRuntime" && d.Name == "shared-ovms"));
    }

    [Fact]
    public async Task Predictor_running_as_the_old_auth_service_account_keeps_it_from_cleanup()
    {
        var snapshot = PipelineRunner.LoadSnapshot(Common, Case("dashboard-token-auth")).ToList();
        var isvc = snapshot.Single(o => o.Kind == Kinds.InferenceService).Object;
        isvc.At("spec", "predictor")!.AsObject()["serviceAccountName"] = "fraud-model-sa";
        using var runner = new PipelineRunner();
        await runner.RunAsync(snapshot, new TransformOptions());

        var item = Assert.Single(runner.Plan!.Items);
        Assert.DoesNotContain(item.DeleteOnCleanup, d => d.Kind == "ServiceAccount");
        Assert.Contains(item.Keep, k => k.Kind == "ServiceAccount" && k.Name == "fraud-model-sa");
        Assert.Contains(item.Warnings, w => w.Contains("serviceAccountName", StringComparison.Ordinal));
        Assert.Contains(item.DeleteOnCleanup, d => d.Kind == "Role");
    }

    [Fact]
    public async Task Nothing_secret_reaches_generated_files_plan_or_log()
    {
        using var runner = new PipelineRunner();
        await runner.RunAsync(PipelineRunner.LoadSnapshot(Common, Case("dashboard-token-auth")), new TransformOptions { Strategy = Strategies.NewNamespace, TargetNamespace = "fraud-raw" });

        var everything = string.Join("\n", runner.GeneratedFiles().Values) + File.ReadAllText(runner.Layout.Plan) + string.Join("\n", runner.Log.Lines.Select(l => l.Message));
        foreach (var secret in new[] { "U0VDUkVULVRPS0VOLU1VU1QtTk9ULUxFQUs=", "SECRET-TOKEN-MUST-NOT-LEAK", "SECRET-ACCESS-KEY-MUST-NOT-LEAK", "SECRET-VALUE-MUST-NOT-LEAK" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.All(runner.GeneratedObjects().Where(o => o.Kind() == "Secret"), s => Assert.Null(s["data"]));
    }

    [Fact]
    public async Task Visibility_exposed_publishes_a_cluster_local_isvc_with_a_warning()
    {
        using var runner = new PipelineRunner();
        await runner.RunAsync(PipelineRunner.LoadSnapshot(Common, Case("cluster-local")), new TransformOptions { Visibility = "exposed" });

        var item = Assert.Single(runner.Plan!.Items);
        Assert.Equal("exposed", item.Endpoint!.Visibility);
        Assert.Contains(item.Warnings, w => w.Contains("cluster-local", StringComparison.Ordinal));
        var isvc = runner.GeneratedObjects().First(o => o.Kind() == "InferenceService" && o.Name() == "internal-scorer-raw");
        Assert.Equal("exposed", isvc.Label("networking.kserve.io/visibility"));
    }

    [Fact]
    public async Task Side_by_side_refuses_a_name_whose_raw_suffix_breaks_the_limit_but_in_place_plans_it()
    {
        // 50 characters: fits 53 alone, 54 with "-raw".
        var name = new string('m', 50);
        var yaml = File.ReadAllText(Case("long-name-60")).Replace("a-very-long-inference-service-name-for-fraud-detection-00001", name, StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("odh-case-").FullName, "snapshot.yaml");
        File.WriteAllText(file, yaml);

        using var sideBySide = new PipelineRunner();
        await sideBySide.RunAsync(PipelineRunner.LoadSnapshot(Common, file), new TransformOptions());
        var refused = sideBySide.Plan!.Items.Single(i => i.Name == name);
        Assert.Equal("failed", refused.Status);
        Assert.Contains("53-character limit", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--strategy in-place", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, sideBySide.TransformOutcome!.ExitCode);
        Assert.Equal("ok", sideBySide.Plan.Items.Single(i => i.Name == "short").Status);

        using var inPlace = new PipelineRunner();
        await inPlace.RunAsync(PipelineRunner.LoadSnapshot(Common, file), new TransformOptions { Strategy = Strategies.InPlace });
        var planned = inPlace.Plan!.Items.Single(i => i.Name == name);
        Assert.Equal("ok", planned.Status);
        Assert.Contains(planned.Warnings, w => w.StartsWith("raw/ not written", StringComparison.Ordinal));
        Assert.True(planned.DeleteBeforeCreate);
        Assert.Equal(0, inPlace.TransformOutcome!.ExitCode);
    }
}
