using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.Transform.Serverless;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>
/// Every multi-model runtime among the upstream fixtures, serving one ModelMesh ISVC of its first model format,
/// transformed in place: each is converted or refused, and which (and why) is pinned here.
/// </summary>
public sealed class RuntimeFixtureTests
{
    private static string FixturesRoot => Path.Combine(RepoPaths.Shared, "fixtures", "upstream");

    private static IEnumerable<(string Name, JsonObject Runtime)> MultiModelRuntimes()
    {
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (file, obj) in UpstreamFixtureTests.FixtureObjects().Where(f => f.Object.Kind() is "ServingRuntime" or "ClusterServingRuntime"))
        {
            var index = indexes.GetValueOrDefault(file);
            indexes[file] = index + 1;
            if (obj.At("spec", "multiModel")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                yield return ($"{Path.GetRelativePath(FixturesRoot, file).Replace('\\', '/')}#{index}", obj);
            }
        }
    }

    /// <summary>A copy of a (Cluster)ServingRuntime fixture as the namespaced runtime of project mm.</summary>
    private static JsonObject InNamespace(JsonObject fixture, string name)
    {
        var runtime = fixture.DeepCopy();
        runtime["kind"] = "ServingRuntime";
        runtime.Metadata()["namespace"] = "mm";
        runtime.Metadata()["name"] = name;
        return runtime;
    }

    private static JsonObject ModelMeshNamespace() =>
        (JsonObject)Yaml.ParseSingle("apiVersion: v1\nkind: Namespace\nmetadata: {name: mm, labels: {modelmesh-enabled: 'true'}}", "ns")!;

    [Fact]
    public async Task Every_multi_model_runtime_fixture_is_converted_or_refused_as_pinned()
    {
        var expectedRefusals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["modelmesh-serving-odh/test-servingruntime.yaml#0"] = "has no containers to convert (spec.containers is empty)",
            ["modelmesh-serving/runtimes/torchserve-0.x.yaml#0"] = "runs server type 'torchserve', which has no known single-model configuration",
            ["modelmesh-serving/samples/servingruntime_custom.yaml#0"] = "runs server type 'custom', which has no known single-model configuration",
            ["modelmesh-serving/samples/servingruntime_pullerless.yaml#0"] = "model format 'ml-type1' (spec.predictor.model.modelFormat.name) has no known MLServer implementation",
        };
        var outcomes = new List<string>();
        var planned = 0;
        foreach (var (name, original) in MultiModelRuntimes())
        {
            var runtime = InNamespace(original, "fixture-runtime");
            var format = (runtime.At("spec", "supportedModelFormats") as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?.Str("name") ?? "custom";
            var isvc = (JsonObject)Yaml.ParseSingle($$"""
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata:
                  name: model
                  namespace: mm
                  annotations: {serving.kserve.io/deploymentMode: ModelMesh}
                spec:
                  predictor:
                    model:
                      modelFormat: {name: {{format}}}
                      runtime: fixture-runtime
                      storage: {key: models, path: model/}
                """, name)!;
                using var runner = await UpstreamFixtureTests.RunAloneAsync(isvc, name, withRuntime: false, new TransformOptions { Strategy = "in-place" }, ModelMeshNamespace(), runtime);
            var item = runner.Plan!.Items.SingleOrDefault();
            var reason = item is null ? "blocked: " + string.Join("; ", runner.Inventory!.Items.Single().Blockers) : item.Status == "ok" ? null : item.Error;
            if (reason is null)
            {
                planned++;
                CrdAssert.ValidAgainstCrds(runner.GeneratedObjects());
            }
            else
            {
                outcomes.Add($"{name} => {reason}");
            }
        }

        var unexpected = outcomes.Where(o => !expectedRefusals.Any(e => o.StartsWith(e.Key + " => ", StringComparison.Ordinal) && o.Contains(e.Value, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "refused unexpectedly (or for another reason):\n" + string.Join("\n", unexpected));
        Assert.Equal(expectedRefusals.Count, outcomes.Count);
        Assert.True(planned >= 4, $"only {planned} runtime fixtures converted");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{requests: {cpu: '3', memory: 5Gi}, limits: {cpu: '6', memory: 10Gi}}")]
    public async Task Runtime_resources_are_carried_over_and_the_default_is_used_only_when_none_were_set(string? resources)
    {
        var runtime = InNamespace(MultiModelRuntimes().Single(r => r.Name == "modelmesh-serving/runtimes/ovms-1.x.yaml#0").Runtime, "ovms");
        var container = (JsonObject)runtime.At("spec", "containers")![0]!;
        container.Remove("resources");
        if (resources is not null)
        {
            container["resources"] = Yaml.ParseSingle(resources, "resources");
        }

        var isvc = (JsonObject)Yaml.ParseSingle("""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: model, namespace: mm, annotations: {serving.kserve.io/deploymentMode: ModelMesh}}
            spec: {predictor: {model: {modelFormat: {name: openvino_ir}, runtime: ovms, storage: {key: models, path: model/}}}}
            """, "isvc")!;
        using var runner = await UpstreamFixtureTests.RunAloneAsync(isvc, "resources", withRuntime: false, new TransformOptions { Strategy = "in-place" }, ModelMeshNamespace(), runtime);

        var item = Assert.Single(runner.Plan!.Items);
        Assert.True(item.Status == "ok", item.Error);
        var planned = runner.GeneratedObjects().First(o => o.Kind() == "InferenceService");
        var actual = planned.At("spec", "predictor", "model", "resources")!;
        if (resources is null)
        {
            Assert.Contains(item.Warnings, w => w.StartsWith("no resources set on the InferenceService or the ModelMesh runtime: default requests", StringComparison.Ordinal));
            Assert.Equal("1", actual.At("requests").Str("cpu"));
        }
        else
        {
            Assert.True(JsonNode.DeepEquals(Yaml.ParseSingle(resources, "expected"), actual), actual.ToJsonString());
            Assert.DoesNotContain(item.Warnings, w => w.StartsWith("no resources set", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_modelmesh_secret_key_with_a_uri_that_is_not_s3_is_refused_naming_the_way_out()
    {
        var runtime = InNamespace(MultiModelRuntimes().Single(r => r.Name == "modelmesh-serving/runtimes/ovms-1.x.yaml#0").Runtime, "ovms");
        var isvc = (JsonObject)Yaml.ParseSingle("""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: model, namespace: mm, annotations: {serving.kserve.io/deploymentMode: ModelMesh, serving.kserve.io/secretKey: localMinIO}}
            spec: {predictor: {model: {modelFormat: {name: openvino_ir}, runtime: ovms, storageUri: 'https://example.com/models/model.xml'}}}
            """, "isvc")!;
        using var runner = await UpstreamFixtureTests.RunAloneAsync(isvc, "secret-key", withRuntime: false, new TransformOptions { Strategy = "in-place" }, ModelMeshNamespace(), runtime);

        var item = Assert.Single(runner.Plan!.Items);
        Assert.Equal("failed", item.Status);
        Assert.Contains("only s3:// can become a RawDeployment storage spec", item.Error, StringComparison.Ordinal);
        Assert.Contains("--storage-uri model=<uri>", item.Error, StringComparison.Ordinal);
    }
}
