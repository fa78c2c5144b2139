using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Behaviours;

/// <summary>
/// ModelMesh ISVCs reconciled as modelmesh-serving does (kserve/modelmesh-serving): only ISVCs annotated
/// deploymentMode ModelMesh in namespaces labelled modelmesh-enabled "true" (controllers/util.go modelMeshEnabled;
/// pkg/predictor_source/inferenceservice_registry.go BuildBasePredictorFromInferenceService); the runtime placed by the
/// type labels (controllers/modelmesh/model_type_labels.go GetPredictorTypeLabel, cluster_config.go
/// calculateConstraintData: enabled multiModel runtimes, autoSelect formats); the status InferenceServiceRegistry.
/// UpdateStatus writes (modelStatus, url grpc://modelmesh-serving.&lt;ns&gt;:8033, components.predictor grpcUrl/restUrl/url,
/// PredictorReady and Ready from a living condition set); the failure reasons and messages of predictor_controller.go
/// decodeModelState ("No ServingRuntime supports specified model type and/or protocol", "Specified runtime name not
/// recognized"), and "Waiting for runtime Pod to become available" (RuntimeUnhealthy) while no runtime pod runs. The
/// end states are the ones fvt/helpers.go expects: Loaded/""/UpToDate, FailedToLoad/""/UpToDate with reason and time.
/// </summary>
public sealed class ModelMeshReadinessTests : SimulatorTest
{
    private const string Ns = "mm";

    protected override string SnapshotYaml => """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: mm
          labels: {modelmesh-enabled: "true"}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: plain
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: ovms, namespace: mm}
        spec:
          multiModel: true
          containers: [{name: ovms, image: ovms}]
          supportedModelFormats: [{name: openvino_ir, version: opset1, autoSelect: true}, {name: onnx, version: "1"}]
          protocolVersions: [grpc-v1]
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: off, namespace: mm}
        spec:
          multiModel: true
          disabled: true
          containers: [{name: ovms, image: ovms}]
          supportedModelFormats: [{name: tensorflow, autoSelect: true}]
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: ovms, namespace: plain}
        spec:
          multiModel: true
          containers: [{name: ovms, image: ovms}]
          supportedModelFormats: [{name: openvino_ir, version: opset1, autoSelect: true}]
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: loaded-before
          namespace: mm
          annotations: {serving.kserve.io/deploymentMode: ModelMesh}
        spec:
          predictor:
            model: {modelFormat: {name: openvino_ir, version: opset1}, runtime: ovms, storage: {key: aws-connection-x, path: m}}
        status:
          modelStatus:
            transitionStatus: BlockedByFailedLoad
            states: {activeModelState: Loaded, targetModelState: FailedToLoad}
        """;

    [Fact]
    public async Task A_created_modelmesh_isvc_with_its_runtime_becomes_Loaded_and_Ready_with_the_modelmesh_service_urls()
    {
        await CreateAsync(Isvc("named", runtime: "ovms"));

        var ready = await WaitAsync("named", "Ready", "True");
        var status = ready["status"]!.AsObject();
        Assert.Equal("grpc://modelmesh-serving.mm:8033", status.Str("url"));
        var predictor = status.At("components", "predictor")!;
        Assert.Equal("grpc://modelmesh-serving.mm:8033", predictor.Str("grpcUrl"));
        Assert.Equal("grpc://modelmesh-serving.mm:8033", predictor.Str("url"));
        Assert.Equal("http://modelmesh-serving.mm:8008", predictor.Str("restUrl"));
        Assert.Equal("UpToDate", status.At("modelStatus").Str("transitionStatus"));
        Assert.Equal("Loaded", status.At("modelStatus", "states").Str("activeModelState"));
        Assert.Equal(string.Empty, status.At("modelStatus", "states").Str("targetModelState"));
        Assert.Equal(0L, status.At("modelStatus", "copies", "failedCopies")!.GetValue<long>());
        Assert.Equal(1L, status.At("modelStatus", "copies", "totalCopies")!.GetValue<long>());
        Assert.Null(status.At("modelStatus", "lastFailureInfo"));
        Assert.Equal(["PredictorReady", "Ready"], Conditions(ready).Select(c => c.Str("type")!));
        Assert.All(Conditions(ready), c => Assert.Equal("True", c.Str("status")));

        // modelmesh replaces the whole status and sets none of KServe's fields.
        Assert.Null(status["deploymentMode"]);
        Assert.Null(status["address"]);
        Assert.Null(status["observedGeneration"]);
    }

    [Fact]
    public async Task A_modelmesh_isvc_without_a_runtime_is_placed_by_its_auto_selectable_model_format()
    {
        var isvc = Isvc("auto", runtime: null);
        isvc["spec"]!["predictor"]!["model"]!["protocolVersion"] = "grpc-v1";
        await CreateAsync(isvc);

        var ready = await WaitAsync("auto", "Ready", "True");
        Assert.Equal("Loaded", ready.At("status", "modelStatus", "states").Str("activeModelState"));
    }

    [Fact]
    public async Task No_supporting_runtime_fails_to_load_with_modelmeshs_reason_message_and_time_and_no_url()
    {
        // onnx is listed by ovms but not autoSelect; tensorflow only by a disabled runtime.
        await CreateAsync(Isvc("onnx-model", runtime: null, format: "onnx", version: "1"));
        await CreateAsync(Isvc("tf-model", runtime: null, format: "tensorflow", version: null));

        foreach (var name in new[] { "onnx-model", "tf-model" })
        {
            var failed = await WaitAsync(name, "activeModelState", "FailedToLoad");
            var modelStatus = failed.At("status", "modelStatus")!;
            Assert.Equal("UpToDate", modelStatus.Str("transitionStatus"));
            Assert.Equal("NoSupportingRuntime", modelStatus.At("lastFailureInfo").Str("reason"));
            Assert.Equal("No ServingRuntime supports specified model type and/or protocol", modelStatus.At("lastFailureInfo").Str("message"));
            Assert.StartsWith($"{name}__isvc-", modelStatus.At("lastFailureInfo").Str("modelRevisionName"), StringComparison.Ordinal);
            Assert.NotNull(modelStatus.At("lastFailureInfo").Str("time"));
            Assert.Null(failed.At("status").Str("url"));
            Assert.Equal("False", Condition(failed, "PredictorReady")?.Str("status"));
            Assert.Equal("False", Condition(failed, "Ready")?.Str("status"));
        }
    }

    [Fact]
    public async Task A_named_runtime_that_is_missing_or_disabled_is_not_recognized()
    {
        await CreateAsync(Isvc("missing", runtime: "not-there"));
        await CreateAsync(Isvc("disabled", runtime: "off"));

        foreach (var name in new[] { "missing", "disabled" })
        {
            var failed = await WaitAsync(name, "activeModelState", "FailedToLoad");
            Assert.Equal("RuntimeNotRecognized", failed.At("status", "modelStatus", "lastFailureInfo").Str("reason"));
            Assert.Equal("Specified runtime name not recognized", failed.At("status", "modelStatus", "lastFailureInfo").Str("message"));
        }

        // The runtime appearing places it.
        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Runtime("not-there"), "serving.kserve.io", "v1alpha1", Ns, "servingruntimes", cancellationToken: Ct);
        await WaitAsync("missing", "Ready", "True");
    }

    [Fact]
    public async Task A_modelmesh_isvc_in_a_namespace_not_modelmesh_enabled_gets_no_status_until_the_label_is_set()
    {
        await CreateAsync(Isvc("elsewhere", runtime: "ovms", ns: "plain"), "plain");
        await Sim.WaitForIdleAsync(Ct);
        await Task.Delay(300, Ct); // three ready delays
        Assert.Null(Sim.Store.Get(Kinds.InferenceService, "plain", "elsewhere")["status"]);

        var label = new V1Patch("""{"metadata":{"labels":{"modelmesh-enabled":"true"}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CoreV1.PatchNamespaceAsync(label, "plain", cancellationToken: Ct);
        await WaitAsync("elsewhere", "Ready", "True", "plain");
    }

    [Fact]
    public async Task Without_any_placed_model_no_runtime_pod_runs_so_an_unplaceable_model_waits_for_one()
    {
        var patch = new V1Patch("""{"metadata":{"labels":{"modelmesh-enabled":"true"}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CoreV1.PatchNamespaceAsync(patch, "plain", cancellationToken: Ct);
        await CreateAsync(Isvc("lonely", runtime: null, format: "tensorflow", version: null, ns: "plain"), "plain");

        var waiting = await WaitAsync("lonely", "reason", "RuntimeUnhealthy", "plain");
        Assert.Equal("Waiting for runtime Pod to become available", waiting.At("status", "modelStatus", "lastFailureInfo").Str("message"));
        Assert.Equal("Pending", waiting.At("status", "modelStatus", "states").Str("activeModelState"));
        Assert.Equal("False", Condition(waiting, "Ready")?.Str("status"));

        // A model the runtime serves scales it up: now modelmesh answers that nothing supports tensorflow.
        await CreateAsync(Isvc("served", runtime: "ovms", ns: "plain"), "plain");
        await WaitAsync("lonely", "reason", "NoSupportingRuntime", "plain");
    }

    [Fact]
    public async Task A_snapshot_modelmesh_isvc_keeps_its_status_until_its_spec_changes()
    {
        await Sim.WaitForIdleAsync(Ct);
        await Task.Delay(300, Ct);
        var kept = Sim.Store.Get(Kinds.InferenceService, Ns, "loaded-before");
        Assert.Equal("BlockedByFailedLoad", kept.At("status", "modelStatus").Str("transitionStatus"));
        Assert.Null(kept.At("status", "conditions"));

        var patch = new V1Patch("""{"spec":{"predictor":{"model":{"storage":{"path":"m2"}}}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "serving.kserve.io", "v1beta1", Ns, "inferenceservices", "loaded-before", cancellationToken: Ct);
        var ready = await WaitAsync("loaded-before", "transitionStatus", "UpToDate");
        Assert.Equal("Loaded", ready.At("status", "modelStatus", "states").Str("activeModelState"));
        Assert.Equal("True", Condition(ready, "Ready")?.Str("status"));
    }

    private async Task CreateAsync(JsonObject isvc, string ns = Ns) =>
        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(isvc, "serving.kserve.io", "v1beta1", ns, "inferenceservices", cancellationToken: Ct);

    private static JsonObject Runtime(string name) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1alpha1",
        ["kind"] = "ServingRuntime",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["multiModel"] = true,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "ovms", ["image"] = "ovms" }),
            ["supportedModelFormats"] = new JsonArray(new JsonObject { ["name"] = "openvino_ir", ["version"] = "opset1" }),
        },
    };

    private static JsonObject Isvc(string name, string? runtime, string format = "openvino_ir", string? version = "opset1", string ns = Ns)
    {
        var modelFormat = new JsonObject { ["name"] = format };
        if (version is not null)
        {
            modelFormat["version"] = version;
        }

        var model = new JsonObject { ["modelFormat"] = modelFormat, ["storage"] = new JsonObject { ["key"] = "aws-connection-x", ["path"] = "models/m" } };
        if (runtime is not null)
        {
            model["runtime"] = runtime;
        }

        return new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1beta1",
            ["kind"] = "InferenceService",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = "ModelMesh" } },
            ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = model } },
        };
    }

    private static List<JsonObject> Conditions(JsonObject? isvc) => (isvc?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    private static JsonObject? Condition(JsonObject? isvc, string type) => Conditions(isvc).FirstOrDefault(c => c.Str("type") == type);

    /// <summary>Waits until a condition (Ready), a model state (activeModelState, transitionStatus) or the failure reason reads <paramref name="value"/>.</summary>
    private async Task<JsonObject> WaitAsync(string name, string field, string value, string ns = Ns) =>
        await Eventually.WaitAsync(() =>
        {
            var isvc = Sim.Store.TryGet(Kinds.InferenceService, ns, name);
            var actual = field switch
            {
                "activeModelState" => isvc.At("status", "modelStatus", "states").Str(field),
                "transitionStatus" => isvc.At("status", "modelStatus").Str(field),
                "reason" => isvc.At("status", "modelStatus", "lastFailureInfo").Str(field),
                _ => Condition(isvc, field)?.Str("status"),
            };
            return Task.FromResult(actual == value ? isvc : null);
        }, what: $"{name} {field} {value}");
}
