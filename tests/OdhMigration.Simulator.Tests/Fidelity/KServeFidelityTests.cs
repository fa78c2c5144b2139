using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// KServe as the ODH 2.x releases behave, through kubectl and the official Python client. Upstream:
/// opendatahub-io/kserve (and kserve/kserve) pkg/apis/serving/v1beta1/inference_service_validation.go
/// (validateInferenceServiceName, validateInferenceServiceAutoscaler, validateAutoScalingCompExtension,
/// validateDeploymentMode), pkg/apis/serving/v1beta1/component.go (ExactlyOneErrorFor, validateReplicas),
/// pkg/controller/v1beta1/inferenceservice/components/predictor.go (RuntimeNotRecognized, "Waiting for runtime to
/// become available"); denials as controller-runtime pkg/webhook/admission (Denied: 403 Forbidden) and
/// kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/errors (ToStatusErr:
/// "admission webhook %q denied the request: %s").
/// </summary>
public sealed class KServeFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";
    private const string Denied = "admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied the request: ";

    [Fact]
    public async Task Deployment_mode_change_is_denied_with_403_in_the_webhook_words()
    {
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, Isvc("mode-fixed", "RawDeployment"), "application/json")).Status);
        await Eventually.TrueAsync(() => Task.FromResult(sim.Host.Store.Get(Kinds.InferenceService, "proj", "mode-fixed").At("status", "deploymentMode") is not null), what: "status.deploymentMode");

        var python = await sim.PythonAsync("PATCH", Isvcs + "/mode-fixed", JsonNode.Parse("""{"metadata":{"annotations":{"serving.kserve.io/deploymentMode":"Serverless"}}}"""), "application/merge-patch+json");
        Assert.Equal(403, python.Status);
        Assert.Equal("Forbidden", python.Reason);
        Assert.Equal(Denied + "update rejected: deploymentMode cannot be changed from 'RawDeployment' to 'Serverless'", python.Message);

        var kubectl = await sim.KubectlAsync(null, "annotate", "isvc", "mode-fixed", "-n", "proj", "serving.kserve.io/deploymentMode=Serverless", "--overwrite");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("Error from server (Forbidden)", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Contains(Denied + "update rejected: deploymentMode cannot be changed from 'RawDeployment' to 'Serverless'", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Isvc_names_must_start_with_a_letter()
    {
        var python = await sim.PythonAsync("POST", Isvcs, Isvc("1model", "RawDeployment"), "application/json");
        Assert.Equal(403, python.Status);
        Assert.Equal(Denied + "The InferenceService \"1model\" is invalid: a InferenceService name must consist of lower case alphanumeric characters or '-', and must start with alphabetical character. (e.g. \"my-name\" or \"abc-123\", regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')", python.Message);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "1model"));
    }

    [Fact]
    public async Task A_predictor_needs_exactly_one_implementation()
    {
        var two = Isvc("two-impls", "RawDeployment");
        two["spec"]!["predictor"]!["sklearn"] = new JsonObject { ["storageUri"] = "s3://b/m" };
        var python = await sim.PythonAsync("POST", Isvcs, two, "application/json");
        Assert.Equal(403, python.Status);
        Assert.Equal(Denied + "Exactly one of [SKLearn, XGBoost, Tensorflow, PyTorch, Triton, ONNX, HuggingFace, PMML, LightGBM, Paddle, Model, WorkerSpec, PodSpec] must be specified in PredictorSpec", python.Message);

        var none = Isvc("no-impl", "RawDeployment");
        none["spec"]!["predictor"] = new JsonObject { ["minReplicas"] = 1 };
        var kubectl = await sim.KubectlAsync(none.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("must be specified in PredictorSpec", kubectl.StandardError, StringComparison.Ordinal);

        var custom = Isvc("custom-container", "RawDeployment");
        custom["spec"]!["predictor"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "x" }) };
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, custom, "application/json")).Status);
    }

    [Fact]
    public async Task RawDeployment_autoscaling_takes_the_hpa_class_with_cpu_or_memory_metrics()
    {
        var kpa = Isvc("kpa-class", "RawDeployment");
        kpa["metadata"]!["annotations"]!["serving.kserve.io/autoscalerClass"] = "kpa";
        Assert.Equal(Denied + "[kpa] is not a supported autoscaler class type", (await sim.PythonAsync("POST", Isvcs, kpa, "application/json")).Message);

        var concurrency = Isvc("raw-concurrency", "RawDeployment");
        concurrency["spec"]!["predictor"]!["scaleMetric"] = "concurrency";
        Assert.Equal(Denied + "[concurrency] is not a supported metric", (await sim.PythonAsync("POST", Isvcs, concurrency, "application/json")).Message);

        var target = Isvc("raw-target", "RawDeployment");
        target["spec"]!["predictor"]!["scaleMetric"] = "cpu";
        target["spec"]!["predictor"]!["scaleTarget"] = 150;
        var kubectl = await sim.KubectlAsync(target.ToJsonString(), "create", "-f", "-");
        Assert.Contains(Denied + "the target utilization percentage should be a [1-100] integer", kubectl.StandardError, StringComparison.Ordinal);

        var serverlessCpu = Isvc("kpa-cpu", "Serverless");
        serverlessCpu["spec"]!["predictor"]!["scaleMetric"] = "cpu";
        Assert.Equal(Denied + "[cpu] is not a supported metric", (await sim.PythonAsync("POST", Isvcs, serverlessCpu, "application/json")).Message);
    }

    [Fact]
    public async Task Replica_bounds_are_checked()
    {
        var isvc = Isvc("replicas", "RawDeployment");
        isvc["spec"]!["predictor"]!["minReplicas"] = 3;
        isvc["spec"]!["predictor"]!["maxReplicas"] = 2;
        var python = await sim.PythonAsync("POST", Isvcs, isvc, "application/json");
        Assert.Equal(403, python.Status);
        Assert.Equal(Denied + "MinReplicas cannot be greater than MaxReplicas.", python.Message);
    }

    [Fact]
    public async Task A_missing_runtime_is_RuntimeNotRecognized_waiting_for_the_runtime_with_no_url()
    {
        var isvc = Isvc("no-runtime", "RawDeployment");
        isvc["spec"]!["predictor"]!["model"]!["runtime"] = "missing-runtime";
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, isvc, "application/json")).Status);
        await Eventually.TrueAsync(() => Task.FromResult(sim.Host.Store.Get(Kinds.InferenceService, "proj", "no-runtime").At("status", "modelStatus") is not null), what: "status");

        var python = await sim.PythonAsync("GET", Isvcs + "/no-runtime");
        var status = python.Body!["status"]!;
        var ready = status["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        Assert.Equal("False", ready["status"]!.GetValue<string>());
        Assert.Equal("RuntimeNotRecognized", ready["reason"]!.GetValue<string>());
        Assert.Equal("Waiting for runtime to become available", ready["message"]!.GetValue<string>());
        Assert.Equal("RuntimeNotRecognized", status["modelStatus"]!["lastFailureInfo"]!["reason"]!.GetValue<string>());
        Assert.Equal("InvalidSpec", status["modelStatus"]!["transitionStatus"]!.GetValue<string>());
        Assert.Null(status["url"]);

        var kubectl = await sim.KubectlAsync(null, "get", "isvc", "no-runtime", "-n", "proj", "-o", "jsonpath={.status.modelStatus.lastFailureInfo.message}");
        Assert.Equal("Waiting for runtime to become available", kubectl.StandardOutput.Trim());
    }

    [Fact]
    public async Task An_update_without_the_deployment_mode_annotation_passes_once_the_mode_is_recorded()
    {
        // validateDeploymentMode (opendatahub-io/kserve release-v0.14 inference_service_validation.go) refuses only an
        // annotation that is present and differs from status.deploymentMode.
        var isvc = Isvc("mode-implicit", "Serverless");
        isvc["metadata"]!.AsObject().Remove("annotations");
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, isvc, "application/json")).Status);
        await Eventually.TrueAsync(() => Task.FromResult(sim.Host.Store.Get(Kinds.InferenceService, "proj", "mode-implicit").At("status").Str("deploymentMode") == "Serverless"), what: "status.deploymentMode");

        var label = await sim.PythonAsync("PATCH", Isvcs + "/mode-implicit", JsonNode.Parse("""{"metadata":{"labels":{"team":"x"}}}"""), "application/merge-patch+json");
        Assert.Equal(200, label.Status);
        var kubectl = await sim.KubectlAsync(null, "annotate", "isvc", "mode-implicit", "-n", "proj", "serving.kserve.io/deploymentMode=RawDeployment");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(Denied + "update rejected: deploymentMode cannot be changed from 'Serverless' to 'RawDeployment'", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serverless_isvc_turns_Ready_with_the_knative_conditions_and_url_kserve_reports()
    {
        // opendatahub-io/kserve release-v0.14: components/predictor.go + inference_service_status.go PropagateStatus
        // (PredictorReady/PredictorRouteReady/PredictorConfigurationReady from the ksvc), controller.go
        // PropagateCrossComponentStatus (RoutesReady, LatestDeploymentReady), reconcilers/ingress/ingress_reconciler.go
        // (IngressReady, status.url without "-predictor", https in the ODH overlay).
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, Isvc("knative-ready", "Serverless"), "application/json")).Status);
        await Eventually.TrueAsync(() => Task.FromResult(sim.Host.Store.Get(Kinds.InferenceService, "proj", "knative-ready").At("status", "conditions") is JsonArray c
            && c.OfType<JsonObject>().Any(x => x.Str("type") == "Ready" && x.Str("status") == "True")), what: "Ready");

        var python = await sim.PythonAsync("GET", Isvcs + "/knative-ready");
        var status = python.Body!["status"]!;
        var conditions = status["conditions"]!.AsArray().ToDictionary(c => c!["type"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["IngressReady"] = "True", ["LatestDeploymentReady"] = "True", ["PredictorConfigurationReady"] = "True", ["PredictorReady"] = "True",
                ["PredictorRouteReady"] = "True", ["Ready"] = "True", ["RoutesReady"] = "True", ["Stopped"] = "False",
            },
            conditions);
        Assert.Equal("https://knative-ready-proj.apps.sim.local", status["url"]!.GetValue<string>());
        Assert.Equal("Serverless", status["deploymentMode"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(null, "get", "isvc", "knative-ready", "-n", "proj", "-o", "jsonpath={.status.components.predictor.latestReadyRevision} {.status.address.url}");
        Assert.Equal("knative-ready-predictor-00001 https://knative-ready.proj.svc.cluster.local", kubectl.StandardOutput.Trim());
    }

    private static JsonObject Isvc(string name, string mode) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = mode } },
        ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
    };
}
