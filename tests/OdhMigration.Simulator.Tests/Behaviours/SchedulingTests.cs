using System.Text.Json.Nodes;
using k8s;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Behaviours;

/// <summary>Nodes, predictor pods and the scheduler: capacity is only limited once the cluster has Node objects.</summary>
public sealed class SchedulingTests : SimulatorTest
{
    private const string Gpu = "nvidia.com/gpu";

    protected override SimulatorOptions Options => base.Options with { EnforceAccess = true };

    [Fact]
    public async Task Without_nodes_capacity_is_unlimited_and_no_pods_are_made()
    {
        await CreateIsvcAsync("huge", "RawDeployment", gpus: 100);
        await WaitReadyAsync("huge");
        await Sim.WaitForIdleAsync(Ct);
        Assert.Empty(Sim.Store.List(Kinds.Pod, ListRequest.All()).Items);
    }

    [Fact]
    public async Task A_pod_that_fits_is_bound_and_running_with_the_runtimes_resources_under_the_predictors_and_the_isvc_turns_Ready()
    {
        CreateNode("gpu-a", gpus: 2);
        var isvc = await CreateIsvcAsync("fits", "RawDeployment", gpus: 1);
        await WaitReadyAsync("fits");

        var pod = Assert.Single(PodsOf("fits"));
        Assert.Equal("gpu-a", pod.At("spec", "nodeName")!.GetValue<string>());
        Assert.Equal("Running", pod.At("status", "phase")!.GetValue<string>());
        Assert.Equal("True", PodCondition(pod, "PodScheduled")!.Str("status"));
        Assert.StartsWith("fits-predictor-", pod.Name(), StringComparison.Ordinal);
        var owner = Assert.Single(pod.At("metadata", "ownerReferences")!.AsArray())!;
        Assert.Equal(("InferenceService", isvc.Uid()), (owner.Str("kind"), owner.Str("uid")));
        // The runtime's memory request stays, the predictor's GPU limit is added over it.
        var resources = pod.At("spec", "containers")!.AsArray()[0]!["resources"]!;
        Assert.Equal("1Gi", resources.At("requests").Str("memory"));
        Assert.Equal("1", resources.At("limits").Str(Gpu));
    }

    [Fact]
    public async Task A_pod_that_does_not_fit_stays_Pending_Unschedulable_in_the_schedulers_words_and_validate_reads_InsufficientResources()
    {
        CreateNode("n1", gpus: 1);
        CreateNode("n2", gpus: 1);
        CreateNode("n3", gpus: 1);
        await CreateIsvcAsync("big", "RawDeployment", gpus: 2);

        var pod = await Eventually.WaitAsync(() => Task.FromResult(PodsOf("big").FirstOrDefault(p => PodCondition(p, "PodScheduled")?.Str("status") == "False")), what: "an unschedulable pod");
        Assert.Equal("Pending", pod.At("status", "phase")!.GetValue<string>());
        var scheduled = PodCondition(pod, "PodScheduled")!;
        Assert.Equal("Unschedulable", scheduled.Str("reason"));
        // kube-scheduler's FitError.Error (pkg/scheduler/framework/types.go) with the preemption post-filter's own
        // FitError appended (pkg/scheduler/framework/preemption/preemption.go, Evaluator.Preempt).
        Assert.Equal("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", scheduled.Str("message"));
        Assert.Null(pod.At("spec", "nodeName"));

        var isvc = await Eventually.WaitAsync(() => Task.FromResult(Sim.Store.TryGet(Kinds.InferenceService, "proj", "big") is { } i && Condition(i, "Ready")?.Str("reason") == "MinimumReplicasUnavailable" ? i : null), what: "Ready=False MinimumReplicasUnavailable");
        Assert.Equal("False", Condition(isvc, "Ready")!.Str("status"));
        Assert.Equal(("False", "Deployment does not have minimum availability."), (Condition(isvc, "PredictorReady")!.Str("status"), Condition(isvc, "PredictorReady")!.Str("message")));

        var diagnosis = IsvcDiagnosis.Diagnose(isvc, Sim.Store.TryGet(Kinds.ServingRuntime, "proj", "gpu-rt"), true, PodsOf("big"), "Serverless");
        Assert.Equal(ValidationReasons.InsufficientResources, diagnosis.Reason);
        Assert.Contains("Insufficient nvidia.com/gpu", diagnosis.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taints_node_selectors_and_cordons_keep_pods_off_nodes_until_the_isvc_tolerates_the_taint()
    {
        CreateNode("cpu-1", gpus: 0);
        CreateNode("cordoned", gpus: 4, product: "A100", unschedulable: true);
        CreateNode("gpu-1", gpus: 4, product: "A100", taint: true);
        var isvc = IsvcObject("picky", "RawDeployment", gpus: 1);
        isvc["spec"]!["predictor"]!["nodeSelector"] = new JsonObject { ["nvidia.com/gpu.product"] = "A100" };
        await CreateAsync(isvc);

        var pending = await Eventually.WaitAsync(() => Task.FromResult(PodsOf("picky").FirstOrDefault(p => PodCondition(p, "PodScheduled")?.Str("status") == "False")), what: "an unschedulable pod");
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 1 node(s) were unschedulable. "
            + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            PodCondition(pending, "PodScheduled")!.Str("message"));

        // Tolerating the taint changes the pod template: the pod is replaced and the new one lands on the tainted node.
        Sim.Store.Patch(Kinds.InferenceService, "proj", "picky", live =>
        {
            var next = live!.DeepCopy();
            next["spec"]!["predictor"]!["tolerations"] = new JsonArray(new JsonObject { ["key"] = Gpu, ["operator"] = "Exists", ["effect"] = "NoSchedule" });
            return next;
        }, WriteContext.Internal("test"));
        await WaitReadyAsync("picky");
        var bound = Assert.Single(PodsOf("picky"));
        Assert.Equal("gpu-1", bound.At("spec", "nodeName")!.GetValue<string>());
        Assert.NotEqual(pending.Name(), bound.Name());
    }

    [Fact]
    public async Task Stopping_a_serverless_isvc_frees_its_gpu_for_a_pending_one_which_then_turns_Ready()
    {
        CreateNode("gpu-a", gpus: 1);
        await CreateIsvcAsync("old", "Serverless", gpus: 1);
        await Eventually.TrueAsync(() => Task.FromResult(PodsOf("old").Any(p => p.At("status").Str("phase") == "Running")), what: "the serverless pod running");
        Assert.StartsWith("old-predictor-00001-deployment-", Assert.Single(PodsOf("old")).Name(), StringComparison.Ordinal);
        await CreateIsvcAsync("new", "RawDeployment", gpus: 1);
        await Eventually.TrueAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "new"), "Ready")?.Str("reason") == "MinimumReplicasUnavailable"), what: "new not Ready");

        Sim.Store.Patch(Kinds.InferenceService, "proj", "old", live =>
        {
            var next = live!.DeepCopy();
            next.SetAnnotation("serving.kserve.io/stop", "true");
            return next;
        }, WriteContext.Internal("test"));
        await WaitReadyAsync("new");
        Assert.Empty(PodsOf("old"));
        Assert.Equal("gpu-a", Assert.Single(PodsOf("new")).At("spec", "nodeName")!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_an_isvc_frees_its_capacity_and_pending_pods_then_schedule()
    {
        CreateNode("gpu-a", gpus: 1);
        await CreateIsvcAsync("first", "RawDeployment", gpus: 1);
        await WaitReadyAsync("first");
        await CreateIsvcAsync("second", "RawDeployment", gpus: 1);
        await Eventually.TrueAsync(() => Task.FromResult(PodsOf("second").Any(p => p.At("status").Str("phase") == "Pending" && PodCondition(p, "PodScheduled")?.Str("reason") == "Unschedulable")), what: "second pending");
        Assert.NotEqual("True", Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "second"), "Ready")?.Str("status"));

        await Endpoint.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("serving.kserve.io", "v1beta1", "proj", "inferenceservices", "first", cancellationToken: Ct);
        await WaitReadyAsync("second");
        await Eventually.TrueAsync(() => Task.FromResult(PodsOf("first").Count == 0), what: "first's pods collected");
    }

    [Fact]
    public async Task Pods_are_listed_watched_access_checked_and_a_deleted_one_is_recreated()
    {
        CreateNode("node-1", gpus: 0);
        await CreateIsvcAsync("served", "RawDeployment", gpus: 0);
        await WaitReadyAsync("served");
        var listed = await Endpoint.Client.CoreV1.ListNamespacedPodAsync("proj", labelSelector: "serving.kserve.io/inferenceservice=served", cancellationToken: Ct);
        var pod = Assert.Single(listed.Items);
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
        var watched = await Endpoint.Http.GetStringAsync(new Uri("api/v1/namespaces/proj/pods?watch=true&timeoutSeconds=1&labelSelector=serving.kserve.io%2Finferenceservice%3Dserved", UriKind.Relative), Ct);
        Assert.Contains("\"ADDED\"", watched, StringComparison.Ordinal);
        Assert.Contains(pod.Metadata.Name, watched, StringComparison.Ordinal);
        // The ModelMesh runtime of the snapshot runs its own pods, owned by the runtime.
        var modelMesh = Assert.Single(Sim.Store.List(Kinds.Pod, new ListRequest("proj", LabelSelector.Parse("name=modelmesh-serving-ovms"), FieldFilter.Everything)).Items);
        Assert.Equal("ServingRuntime", modelMesh.At("metadata", "ownerReferences")!.AsArray()[0].Str("kind"));

        await Endpoint.Client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, "proj", cancellationToken: Ct);
        var replacement = await Eventually.WaitAsync(() => Task.FromResult(PodsOf("served").FirstOrDefault(p => p.Name() != pod.Metadata.Name && p.At("status").Str("phase") == "Running")), what: "a replacement pod");
        Assert.Equal("node-1", replacement.At("spec", "nodeName")!.GetValue<string>());

        Sim.Access.Rules = new AccessRules([new AccessRule(Verb: "list", Group: "", Resource: "pods", Allowed: false)], Default: true);
        var denied = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Endpoint.Client.CoreV1.ListNamespacedPodAsync("proj", cancellationToken: Ct));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.Response.StatusCode);
    }

    private void CreateNode(string name, int gpus, string? product = null, bool unschedulable = false, bool taint = false)
    {
        var labels = new JsonObject { ["kubernetes.io/hostname"] = name };
        if (product is not null)
        {
            labels["nvidia.com/gpu.product"] = product;
        }

        var spec = new JsonObject();
        if (unschedulable)
        {
            spec["unschedulable"] = true;
        }

        if (taint)
        {
            spec["taints"] = new JsonArray(new JsonObject { ["key"] = Gpu, ["value"] = "present", ["effect"] = "NoSchedule" });
        }

        var allocatable = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
        if (gpus > 0)
        {
            allocatable[Gpu] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Sim.Store.Create(SchedulingKinds.Node, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["allocatable"] = allocatable },
        }, WriteContext.Internal("test"));
    }

    private async Task<JsonObject> CreateIsvcAsync(string name, string mode, int gpus)
    {
        await EnsureRuntimeAsync();
        return await CreateAsync(IsvcObject(name, mode, gpus));
    }

    private async Task<JsonObject> CreateAsync(JsonObject isvc)
    {
        await EnsureRuntimeAsync();
        var created = await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(isvc, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", cancellationToken: Ct);
        return (JsonObject)ToNode(created);
    }

    /// <summary>A runtime whose container requests cpu and memory; the ISVCs add their GPU limit over it.</summary>
    private async Task EnsureRuntimeAsync()
    {
        if (Sim.Store.TryGet(Kinds.ServingRuntime, "proj", "gpu-rt") is not null)
        {
            return;
        }

        var runtime = new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1alpha1",
            ["kind"] = "ServingRuntime",
            ["metadata"] = new JsonObject { ["name"] = "gpu-rt", ["namespace"] = "proj" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "kserve-container",
                    ["image"] = "vllm",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" } },
                }),
                ["supportedModelFormats"] = new JsonArray(new JsonObject { ["name"] = "vLLM" }),
            },
        };
        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(runtime, "serving.kserve.io", "v1alpha1", "proj", "servingruntimes", cancellationToken: Ct);
    }

    private static JsonObject IsvcObject(string name, string mode, int gpus)
    {
        var model = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "vLLM" }, ["runtime"] = "gpu-rt", ["storageUri"] = "s3://b/m" };
        if (gpus > 0)
        {
            model["resources"] = new JsonObject { ["limits"] = new JsonObject { [Gpu] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        }

        return new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1beta1",
            ["kind"] = "InferenceService",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = mode } },
            ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = model } },
        };
    }

    private List<JsonObject> PodsOf(string isvc) =>
        Sim.Store.List(Kinds.Pod, new ListRequest("proj", LabelSelector.Parse($"serving.kserve.io/inferenceservice={isvc}"), FieldFilter.Everything)).Items.ToList();

    private static JsonObject? PodCondition(JsonObject pod, string type) =>
        (pod.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    private static JsonObject? Condition(JsonObject? isvc, string type) =>
        (isvc?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    private async Task<JsonObject> WaitReadyAsync(string name) =>
        await Eventually.WaitAsync(() =>
        {
            var isvc = Sim.Store.TryGet(Kinds.InferenceService, "proj", name);
            return Task.FromResult(Condition(isvc, "Ready")?.Str("status") == "True" ? isvc : null);
        }, what: $"{name} Ready");
}
