using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Behaviours;

/// <summary>
/// Serverless ISVCs reconciled as KServe of the ODH 2.x era does through its Knative Service. Upstream
/// (opendatahub-io/kserve release-v0.14): pkg/controller/v1beta1/inferenceservice/components/predictor.go (the ksvc
/// "&lt;name&gt;-predictor", RuntimeNotRecognized, serving.kserve.io/stop clearing the status to PredictorReady False
/// "Stopped" and Stopped True), reconcilers/knative/ksvc_reconciler.go (the ksvc, deleted while stopped),
/// controller.go (RoutesReady/LatestDeploymentReady via PropagateCrossComponentStatus, skipped while stopped),
/// reconcilers/ingress/ingress_reconciler.go (IngressReady, status.url = the predictor URL without "-predictor" in the
/// ODH overlay's https scheme, status.address https://&lt;name&gt;.&lt;ns&gt;.svc.cluster.local, "Predictor ingress
/// not created", IngressReady False "Stopped"), pkg/apis/serving/v1beta1/inference_service_status.go (PropagateStatus:
/// components.predictor revisions, traffic and url once the ksvc is Ready); knative serving
/// pkg/reconciler/revision/reconcile_resources.go and pkg/apis/serving/v1/configuration_lifecycle.go (an unschedulable
/// first pod fails the revision: RevisionFailed, "Revision %q failed with message: %s.").
/// </summary>
public sealed class ServerlessReadinessTests : SimulatorTest
{
    private const string Gpu = "nvidia.com/gpu";

    [Fact]
    public async Task A_created_serverless_isvc_becomes_Ready_with_its_knative_url_address_and_predictor_revision()
    {
        await CreateAsync(Isvc("sless", runtime: "kserve-ovms"));

        var ready = await WaitReadyAsync("sless");
        var status = ready["status"]!;
        Assert.Equal("Serverless", status.Str("deploymentMode"));
        Assert.Equal("https://sless-proj.apps.sim.local", status.Str("url"));
        Assert.Equal("https://sless.proj.svc.cluster.local", status.At("address").Str("url"));
        foreach (var type in new[] { "IngressReady", "LatestDeploymentReady", "PredictorConfigurationReady", "PredictorReady", "PredictorRouteReady", "Ready", "RoutesReady" })
        {
            Assert.Equal("True", Condition(ready, type)?.Str("status"));
        }

        Assert.Equal("False", Condition(ready, "Stopped")?.Str("status"));
        var predictor = status.At("components", "predictor")!;
        Assert.Equal("sless-predictor-00001", predictor.Str("latestCreatedRevision"));
        Assert.Equal("sless-predictor-00001", predictor.Str("latestReadyRevision"));
        Assert.Equal("sless-predictor-00001", predictor.Str("latestRolledoutRevision"));
        Assert.Equal("https://sless-predictor-proj.apps.sim.local", predictor.Str("url"));
        Assert.Equal("http://sless-predictor.proj.svc.cluster.local", predictor.At("address").Str("url"));
        Assert.Equal(100L, predictor.At("traffic")!.AsArray().Single()!["percent"]!.GetValue<long>());
        Assert.Equal("UpToDate", status.At("modelStatus").Str("transitionStatus"));

        // The Python client reads the same status (the CRD's status schema keeps every field).
        var fromClient = ToNode(await Endpoint.Client.CustomObjects.GetNamespacedCustomObjectAsync("serving.kserve.io", "v1beta1", "proj", "inferenceservices", "sless", cancellationToken: Ct));
        Assert.Equal("sless-predictor-00001", fromClient.At("status", "components", "predictor").Str("latestReadyRevision"));

        // A spec change is a new revision, rolled out once Ready; the previous one is remembered.
        var patch = new V1Patch("""{"spec":{"predictor":{"minReplicas":2}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", "sless", cancellationToken: Ct);
        var rolled = await Eventually.WaitAsync(() => Task.FromResult(Sim.Store.Get(Kinds.InferenceService, "proj", "sless") is var i && i.At("status", "components", "predictor").Str("latestReadyRevision") == "sless-predictor-00002" ? i : null), what: "revision 2 ready");
        Assert.Equal("sless-predictor-00001", rolled.At("status", "components", "predictor").Str("previousRolledoutRevision"));
    }

    [Fact]
    public async Task A_cluster_local_serverless_isvc_gets_the_cluster_domain_url_in_https()
    {
        var isvc = Isvc("internal", runtime: "kserve-ovms");
        isvc["metadata"]!["labels"] = new JsonObject { ["networking.knative.dev/visibility"] = "cluster-local" };
        await CreateAsync(isvc);

        var ready = await WaitReadyAsync("internal");
        Assert.Equal("https://internal.proj.svc.cluster.local", ready.At("status").Str("url"));
        Assert.Equal("http://internal-predictor.proj.svc.cluster.local", ready.At("status", "components", "predictor").Str("url"));
    }

    [Fact]
    public async Task A_missing_runtime_is_RuntimeNotRecognized_with_no_url_until_the_runtime_appears()
    {
        await CreateAsync(Isvc("orphan", runtime: "not-there"));

        var failing = await Eventually.WaitAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "orphan"), "Ready") is { } c && c["reason"] is not null ? c : null), what: "Ready=False");
        Assert.Equal("False", failing.Str("status"));
        Assert.Equal("RuntimeNotRecognized", failing.Str("reason"));
        Assert.Equal("Waiting for runtime to become available", failing.Str("message"));
        var orphan = Sim.Store.Get(Kinds.InferenceService, "proj", "orphan");
        Assert.Equal("Serverless", orphan.At("status").Str("deploymentMode"));
        Assert.Equal("RuntimeNotRecognized", orphan.At("status", "modelStatus", "lastFailureInfo").Str("reason"));
        Assert.Equal("InvalidSpec", orphan.At("status", "modelStatus").Str("transitionStatus"));
        Assert.Null(orphan.At("status", "url"));
        Assert.Null(orphan.At("status", "components"));

        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Runtime("not-there", "onnx"), "serving.kserve.io", "v1alpha1", "proj", "servingruntimes", cancellationToken: Ct);
        var ready = await WaitReadyAsync("orphan");
        Assert.Equal("https://orphan-proj.apps.sim.local", ready.At("status").Str("url"));
    }

    [Fact]
    public async Task Stopping_clears_the_status_to_Stopped_and_resuming_brings_it_back_Ready()
    {
        await CreateAsync(Isvc("pausable", runtime: "kserve-ovms"));
        await WaitReadyAsync("pausable");

        await AnnotateAsync("pausable", "true");
        var stopped = await Eventually.WaitAsync(() => Task.FromResult(Sim.Store.Get(Kinds.InferenceService, "proj", "pausable") is var i && Condition(i, "Stopped")?.Str("status") == "True" ? i : null), what: "Stopped=True");
        foreach (var type in new[] { "IngressReady", "PredictorReady", "Ready" })
        {
            Assert.Equal(("False", "Stopped"), (Condition(stopped, type)?.Str("status"), Condition(stopped, type)?.Str("reason")));
        }

        Assert.Equal(new[] { "IngressReady", "PredictorReady", "Ready", "Stopped" }, stopped.At("status", "conditions")!.AsArray().Select(c => c!.Str("type")!).ToArray());
        Assert.Equal("Serverless", stopped.At("status").Str("deploymentMode"));
        Assert.Null(stopped.At("status", "url"));
        Assert.Null(stopped.At("status", "address"));
        Assert.Null(stopped.At("status", "components"));

        await AnnotateAsync("pausable", "false");
        var resumed = await WaitReadyAsync("pausable");
        Assert.Equal("False", Condition(resumed, "Stopped")?.Str("status"));
        Assert.Equal("https://pausable-proj.apps.sim.local", resumed.At("status").Str("url"));
    }

    [Fact]
    public async Task A_serverless_isvc_created_stopped_never_turns_Ready()
    {
        var isvc = Isvc("born-stopped", runtime: "kserve-ovms");
        isvc["metadata"]!["annotations"]!["serving.kserve.io/stop"] = "true";
        await CreateAsync(isvc);

        var stopped = await Eventually.WaitAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "born-stopped"), "Stopped")?.Str("status") == "True" ? Sim.Store.Get(Kinds.InferenceService, "proj", "born-stopped") : null), what: "Stopped=True");
        await Task.Delay(300, Ct); // past the ready delay
        await Sim.WaitForIdleAsync(Ct);
        Assert.Equal(("False", "Stopped"), (Condition(Sim.Store.Get(Kinds.InferenceService, "proj", "born-stopped"), "Ready")?.Str("status"), Condition(stopped, "Ready")?.Str("reason")));
    }

    [Fact]
    public async Task Unschedulable_pods_fail_the_revision_with_the_schedulers_message_and_the_isvc_is_not_Ready_until_capacity_frees()
    {
        CreateNode("gpu-a", gpus: 1);
        await CreateAsync(Runtime("gpu-rt", "vLLM"), runtime: true);
        var isvc = Isvc("greedy", runtime: "gpu-rt", format: "vLLM");
        isvc["spec"]!["predictor"]!["model"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { [Gpu] = "2" } };
        await CreateAsync(isvc);

        var pod = await Eventually.WaitAsync(() => Task.FromResult(PodsOf("greedy").FirstOrDefault(p => PodScheduled(p)?.Str("status") == "False")), what: "an unschedulable pod");
        Assert.StartsWith("greedy-predictor-00001-deployment-", pod.Name(), StringComparison.Ordinal);
        var scheduler = PodScheduled(pod)!.Str("message")!;
        Assert.Contains("Insufficient nvidia.com/gpu", scheduler, StringComparison.Ordinal);

        var failed = await Eventually.WaitAsync(() => Task.FromResult(Sim.Store.Get(Kinds.InferenceService, "proj", "greedy") is var i && Condition(i, "PredictorReady")?.Str("status") == "False" ? i : null), what: "PredictorReady=False");
        var predictor = Condition(failed, "PredictorReady")!;
        Assert.Equal("RevisionFailed", predictor.Str("reason"));
        Assert.Equal($"Revision \"greedy-predictor-00001\" failed with message: {scheduler}.", predictor.Str("message"));
        Assert.Equal(("False", "RevisionFailed"), (Condition(failed, "PredictorConfigurationReady")?.Str("status"), Condition(failed, "PredictorConfigurationReady")?.Str("reason")));
        Assert.Equal(("False", "RevisionMissing"), (Condition(failed, "PredictorRouteReady")?.Str("status"), Condition(failed, "PredictorRouteReady")?.Str("reason")));
        // The ingress reconciler marks IngressReady last, so Ready carries its reason.
        Assert.Equal(("False", "Predictor ingress not created"), (Condition(failed, "Ready")?.Str("status"), Condition(failed, "Ready")?.Str("reason")));
        Assert.Null(failed.At("status", "url"));
        Assert.Null(failed.At("status", "components", "predictor", "latestReadyRevision"));

        CreateNode("gpu-b", gpus: 2);
        var ready = await WaitReadyAsync("greedy");
        Assert.Equal("gpu-b", Assert.Single(PodsOf("greedy")).At("spec", "nodeName")!.GetValue<string>());
        Assert.Equal("https://greedy-proj.apps.sim.local", ready.At("status").Str("url"));
    }

    [Fact]
    public async Task A_snapshot_serverless_isvc_keeps_the_snapshot_status_until_its_spec_changes()
    {
        await Sim.WaitForIdleAsync(Ct);
        await Task.Delay(300, Ct);
        var loaded = Sim.Store.Get(Kinds.InferenceService, "proj", "sl-model");
        Assert.Equal("https://sl-model-proj.apps.example.com", loaded.At("status").Str("url"));
        Assert.Null(loaded.At("status", "conditions"));

        // A label is not a spec change: the status stays the snapshot's.
        var label = new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(label, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", "sl-model", cancellationToken: Ct);
        await Sim.WaitForIdleAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.Null(Condition(Sim.Store.Get(Kinds.InferenceService, "proj", "sl-model"), "Ready"));

        var spec = new V1Patch("""{"spec":{"predictor":{"minReplicas":1}}}""", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(spec, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", "sl-model", cancellationToken: Ct);
        var ready = await WaitReadyAsync("sl-model");
        Assert.Equal("https://sl-model-proj.apps.sim.local", ready.At("status").Str("url"));
    }

    private async Task AnnotateAsync(string name, string stop)
    {
        var body = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["serving.kserve.io/stop"] = stop } } };
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", name, cancellationToken: Ct);
    }

    private async Task CreateAsync(JsonObject obj, bool runtime = false)
    {
        if (runtime)
        {
            await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, "serving.kserve.io", "v1alpha1", "proj", "servingruntimes", cancellationToken: Ct);
            return;
        }

        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", cancellationToken: Ct);
    }

    private void CreateNode(string name, int gpus) =>
        Sim.Store.Create(SchedulingKinds.Node, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = new JsonObject { ["allocatable"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110", [Gpu] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        }, WriteContext.Internal("test"));

    private static JsonObject Runtime(string name, string format) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1alpha1",
        ["kind"] = "ServingRuntime",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "x" }),
            ["supportedModelFormats"] = new JsonArray(new JsonObject { ["name"] = format }),
        },
    };

    private static JsonObject Isvc(string name, string runtime, string format = "onnx") => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = "Serverless" } },
        ["spec"] = new JsonObject
        {
            ["predictor"] = new JsonObject
            {
                ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = format }, ["runtime"] = runtime, ["storageUri"] = "s3://b/m" },
            },
        },
    };

    private List<JsonObject> PodsOf(string isvc) =>
        Sim.Store.List(Kinds.Pod, new ListRequest("proj", LabelSelector.Parse($"serving.kserve.io/inferenceservice={isvc}"), FieldFilter.Everything)).Items.ToList();

    private static JsonObject? PodScheduled(JsonObject pod) =>
        (pod.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");

    private static JsonObject? Condition(JsonObject? isvc, string type) =>
        (isvc?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    private async Task<JsonObject> WaitReadyAsync(string name) =>
        await Eventually.WaitAsync(() =>
        {
            var isvc = Sim.Store.TryGet(Kinds.InferenceService, "proj", name);
            return Task.FromResult(Condition(isvc, "Ready")?.Str("status") == "True" ? isvc : null);
        }, what: $"{name} Ready");
}
