using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Transform.ModelMesh;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>The upstream ModelMesh runtimes, converted for one model: settings a single-model pod needs, or a refusal.</summary>
public sealed class SingleModelServerTests
{
    private static JsonObject UpstreamRuntime(string file) =>
        (JsonObject)Yaml.ParseSingle(File.ReadAllText(Path.Combine(RepoPaths.Shared, "fixtures", "upstream", "modelmesh-serving", "runtimes", file)), file)!;

    private static (JsonObject Spec, JsonObject Container, List<string> Changes) Convert(JsonObject runtime, string? format)
    {
        var spec = (JsonObject)runtime["spec"]!.DeepClone();
        var container = (JsonObject)((JsonArray)spec["containers"]!)[0]!;
        var changes = new List<string>();
        SingleModelServers.Convert(SingleModelServers.ServerType(runtime), runtime, spec, container, format, changes);
        return (spec, container, changes);
    }

    private static Dictionary<string, string?> Env(JsonObject container) =>
        (container["env"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(e => e.Str("name")!, e => e.Str("value"));

    [Theory]
    [InlineData("mlserver-1.x.yaml", "mlserver")]
    [InlineData("triton-2.x.yaml", "triton")]
    [InlineData("torchserve-0.x.yaml", "torchserve")]
    [InlineData("ovms-1.x.yaml", "ovms")]
    public void Server_type_comes_from_the_built_in_adapter(string file, string expected) =>
        Assert.Equal(expected, SingleModelServers.ServerType(UpstreamRuntime(file)));

    [Fact]
    public void MLServer_loads_the_one_model_at_start_up_from_mnt_models_on_every_interface()
    {
        var (spec, container, changes) = Convert(UpstreamRuntime("mlserver-1.x.yaml"), "xgboost");
        var env = Env(container);
        Assert.Equal("mlserver_xgboost.XGBoostModel", env["MLSERVER_MODEL_IMPLEMENTATION"]);
        Assert.Equal("/mnt/models", env["MLSERVER_MODEL_URI"]);
        Assert.Equal("{{.Name}}", env["MLSERVER_MODEL_NAME"]);
        Assert.Equal("8080", env["MLSERVER_HTTP_PORT"]);
        Assert.False(env.ContainsKey("MLSERVER_HOST"), "still bound to localhost behind a sidecar that no longer exists");
        Assert.False(env.ContainsKey("MLSERVER_LOAD_MODELS_AT_STARTUP"));
        Assert.False(env.ContainsKey("MLSERVER_MODELS_DIR"));
        Assert.Equal("-1", env["MLSERVER_GRPC_MAX_MESSAGE_LENGTH"]); // a user setting that still means something
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal(["v2", "grpc-v2"], ((JsonArray)spec["protocolVersions"]!).Select(v => v!.GetValue<string>()));
        Assert.Contains("runtime: removed multi-model setting MLSERVER_HOST", changes); // named, its value (127.0.0.1) not shown
    }

    [Fact]
    public void MLServer_with_a_format_it_has_no_implementation_for_is_refused_naming_the_field()
    {
        // Read outside Assert.Throws: without the upstream files the test fails with that one cause, not a type mismatch.
        var runtime = UpstreamRuntime("mlserver-1.x.yaml");
        var ex = Assert.Throws<TransformRefusedException>(() => Convert(runtime, "onnx"));
        Assert.Contains("spec.predictor.model.modelFormat.name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--runtime-template mlserver-1.x=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Triton_runs_directly_on_the_model_store_without_the_shell_wrapper()
    {
        var (_, container, _) = Convert(UpstreamRuntime("triton-2.x.yaml"), "onnx");
        Assert.Null(container["command"]);
        var args = ((JsonArray)container["args"]!).Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("tritonserver", args[0]);
        Assert.Contains("--model-store=/mnt/models", args);
        Assert.Contains("--http-port=8080", args);
        Assert.DoesNotContain(args, a => a.Contains("_triton_models", StringComparison.Ordinal) || a.Contains("model-control-mode", StringComparison.Ordinal));
    }

    [Fact]
    public void TorchServe_and_custom_servers_are_refused_rather_than_converted_into_pods_that_load_nothing()
    {
        var torchserve = UpstreamRuntime("torchserve-0.x.yaml");
        var ex = Assert.Throws<TransformRefusedException>(() => Convert(torchserve, "pytorch-mar"));
        Assert.Contains("'torchserve'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--runtime-template torchserve-0.x=", ex.Message, StringComparison.Ordinal);

        var custom = UpstreamRuntime("mlserver-1.x.yaml");
        ((JsonObject)custom["spec"]!).Remove("builtInAdapter");
        custom["spec"]!["containers"]![0]!["image"] = "quay.io/acme/my-server:1";
        Assert.Equal("custom", SingleModelServers.ServerType(custom));
        Assert.Throws<TransformRefusedException>(() => Convert(custom, "sklearn"));
    }
}
