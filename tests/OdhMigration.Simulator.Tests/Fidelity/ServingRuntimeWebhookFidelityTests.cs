using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// KServe's ServingRuntime validating webhook as the ODH 2.x branch runs it, through kubectl and the official Python
/// client. Upstream: opendatahub-io/kserve stable-2.x pkg/webhook/admission/servingruntime/servingruntime_webhook.go
/// (ServingRuntimeValidator.Handle, validateModelFormatPrioritySame, validateServingRuntimePriority,
/// validateMultiNodeSpec and their message constants), pkg/utils/utils.go (HasUnknownGpuResourceType),
/// config/webhook/manifests.yaml (CREATE/UPDATE of servingruntimes); denials as controller-runtime
/// pkg/webhook/admission (Denied: 403) and kubernetes/kubernetes
/// staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/errors (ToStatusErr). Each test uses its own namespace:
/// the priority rules compare runtimes of one namespace.
/// </summary>
public sealed class ServingRuntimeWebhookFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Denied = "admission webhook \"servingruntime.kserve-webhook-server.validator\" denied the request: ";

    [Fact]
    public async Task Two_runtimes_giving_one_autoselect_format_the_same_priority_are_refused()
    {
        const string ns = "sr-same-priority";
        await NamespaceAsync(ns);
        Assert.Equal(201, (await CreateAsync(Runtime(ns, "first", Format("onnx", "1", autoSelect: true, priority: 1)))).Status);

        // Format names compare case-insensitively (areSupportedModelFormatsEqual uses strings.EqualFold).
        var python = await CreateAsync(Runtime(ns, "second", Format("ONNX", "1", autoSelect: true, priority: 1)));
        Assert.Equal(403, python.Status);
        Assert.Equal("Forbidden", python.Reason);
        Assert.Equal(Denied + $"same priority assigned for the model format ONNX in the servingruntimes first and second in namespace {ns}", python.Message);
        Assert.Null(sim.Host.Store.TryGet(Kinds.ServingRuntime, ns, "second"));

        var kubectl = await sim.KubectlAsync(Runtime(ns, "third", Format("onnx", "1", autoSelect: true, priority: 1)).ToJsonString(), "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(Denied + $"same priority assigned for the model format onnx in the servingruntimes first and third in namespace {ns}", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Priorities_are_only_compared_between_enabled_autoselect_runtimes_of_one_kind_and_protocol()
    {
        const string ns = "sr-priority-scope";
        await NamespaceAsync(ns);
        Assert.Equal(201, (await CreateAsync(Runtime(ns, "base", Format("onnx", "1", autoSelect: true, priority: 1)))).Status);

        Assert.Equal(201, (await CreateAsync(Runtime(ns, "other-priority", Format("onnx", "1", autoSelect: true, priority: 2)))).Status);
        Assert.Equal(201, (await CreateAsync(Runtime(ns, "other-version", Format("onnx", "2", autoSelect: true, priority: 1)))).Status);
        Assert.Equal(201, (await CreateAsync(Runtime(ns, "no-autoselect", Format("onnx", "1", autoSelect: false, priority: 1)))).Status);
        var multiModel = Runtime(ns, "multi-model", Format("onnx", "1", autoSelect: true, priority: 1));
        multiModel["spec"]!["multiModel"] = true;
        Assert.Equal(201, (await CreateAsync(multiModel)).Status);
        var otherProtocol = Runtime(ns, "other-protocol", Format("onnx", "1", autoSelect: true, priority: 1));
        otherProtocol["spec"]!["protocolVersions"] = new JsonArray("v1");
        Assert.Equal(201, (await CreateAsync(otherProtocol)).Status);
        var disabled = Runtime(ns, "disabled", Format("onnx", "1", autoSelect: true, priority: 1));
        disabled["spec"]!["disabled"] = true;
        var kubectl = await sim.KubectlAsync(disabled.ToJsonString(), "create", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);

        // Updating a runtime does not compare it with its own stored version.
        var relabel = await sim.KubectlAsync(null, "label", "servingruntime", "base", "-n", ns, "team=a");
        Assert.True(relabel.ExitCode == 0, relabel.StandardError);
    }

    [Fact]
    public async Task One_runtime_giving_a_format_different_priorities_is_refused_once_the_namespace_has_a_runtime()
    {
        const string ns = "sr-different-priorities";
        await NamespaceAsync(ns);
        var twoPriorities = Runtime(ns, "alone", Format("onnx", "1", autoSelect: true, priority: 1), Format("onnx", "2", autoSelect: true, priority: 2));

        // KServe only checks inside its loop over the namespace's runtimes: the first runtime gets no priority checks.
        Assert.Equal(201, (await CreateAsync(twoPriorities)).Status);

        var python = await sim.PythonAsync("PUT", Path(ns) + "/alone", WithResourceVersion(twoPriorities, ns, "alone"), "application/json");
        Assert.Equal(403, python.Status);
        Assert.Equal("Forbidden", python.Reason);
        Assert.Equal(Denied + "different priorities assigned for the model format onnx under the servingruntime alone", python.Message);

        var kubectl = await sim.KubectlAsync(Runtime(ns, "second", Format("sklearn", null, autoSelect: true, priority: 3), Format("sklearn", null, autoSelect: true, priority: 4)).ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("Error from server (Forbidden)", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Contains(Denied + "different priorities assigned for the model format sklearn under the servingruntime second", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workerSpec_cannot_be_removed_once_there()
    {
        const string ns = "sr-worker-removal";
        await NamespaceAsync(ns);
        var multiNode = Runtime(ns, "multi-node", Format("vllm", null, autoSelect: false, priority: null));
        multiNode["spec"]!["workerSpec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker-container", ["image"] = "vllm" }) };
        Assert.Equal(201, (await CreateAsync(multiNode)).Status);

        var python = await sim.PythonAsync("PATCH", Path(ns) + "/multi-node", JsonNode.Parse("""{"spec":{"workerSpec":null}}"""), "application/merge-patch+json");
        Assert.Equal(403, python.Status);
        Assert.Equal(Denied + "the ServingRuntime multi-node is invalid: removing workerSpec where it already exists is not allowed", python.Message);

        var kubectl = await sim.KubectlAsync(null, "patch", "servingruntime", "multi-node", "-n", ns, "--type=json", "-p", """[{"op":"remove","path":"/spec/workerSpec"}]""");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(Denied + "the ServingRuntime multi-node is invalid: removing workerSpec where it already exists is not allowed", kubectl.StandardError, StringComparison.Ordinal);
        Assert.NotNull(sim.Host.Store.Get(Kinds.ServingRuntime, ns, "multi-node").At("spec", "workerSpec"));
    }

    [Fact]
    public async Task Multi_node_runtimes_take_one_worker_container_no_parallel_size_env_known_gpus_and_sizes_of_at_least_one()
    {
        const string ns = "sr-multi-node";
        await NamespaceAsync(ns);

        var twoWorkers = MultiNode(ns, "two-workers");
        twoWorkers["spec"]!["workerSpec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "second", ["image"] = "x" });
        Assert.Equal(Denied + "the ServingRuntime two-workers is invalid: setting multiple containers in workerSpec is not allowed", (await CreateAsync(twoWorkers)).Message);

        var env = MultiNode(ns, "env-size");
        env["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "TENSOR_PARALLEL_SIZE", ["value"] = "2" });
        var envResult = await CreateAsync(env);
        Assert.Equal(403, envResult.Status);
        Assert.Equal(Denied + "the ServingRuntime env-size is invalid: setting TENSOR_PARALLEL_SIZE in environment variables is not allowed", envResult.Message);

        var gpu = MultiNode(ns, "odd-gpu");
        gpu["spec"]!["workerSpec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["example.com/tpu"] = "1" } };
        var kubectl = await sim.KubectlAsync(gpu.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(Denied + "the ServingRuntime odd-gpu is invalid: unknown GPU resource type in a container(worker-container)", kubectl.StandardError, StringComparison.Ordinal);

        // The spec's gpu-resource-types annotation adds types; a value that is not a JSON array of strings is refused.
        gpu["spec"]!["annotations"] = new JsonObject { ["serving.kserve.io/gpu-resource-types"] = "[\"example.com/tpu\"]" };
        Assert.Equal(201, (await CreateAsync(gpu)).Status);
        var badAnnotation = MultiNode(ns, "bad-annotation");
        badAnnotation["spec"]!["annotations"] = new JsonObject { ["serving.kserve.io/gpu-resource-types"] = "tpu" };
        badAnnotation["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["requests"] = new JsonObject { ["nvidia.com/gpu"] = "1" } };
        Assert.Equal(Denied + "the ServingRuntime bad-annotation is invalid: invalid GPU format(tpu) for serving.kserve.io/gpu-resource-types annotation: must be a valid JSON array", (await CreateAsync(badAnnotation)).Message);

        var size = MultiNode(ns, "zero-pipeline");
        size["spec"]!["workerSpec"]!["pipelineParallelSize"] = 0;
        Assert.Equal(Denied + "the ServingRuntime zero-pipeline is invalid: the WorkerSpec.PipelineParallelSize cannot be less than 1(0)", (await CreateAsync(size)).Message);
        var tensor = MultiNode(ns, "zero-tensor");
        tensor["spec"]!["workerSpec"]!["tensorParallelSize"] = 0;
        Assert.Equal(Denied + "the ServingRuntime zero-tensor is invalid: the WorkerSpec.TensorParallelSize cannot be less than 1(0)", (await CreateAsync(tensor)).Message);

        Assert.Equal(201, (await CreateAsync(MultiNode(ns, "valid"))).Status);
    }

    private Task<PythonResponse> CreateAsync(JsonObject runtime) =>
        sim.PythonAsync("POST", Path(runtime.Namespace()!), runtime, "application/json");

    private async Task NamespaceAsync(string ns) =>
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, "application/json")).Status);

    private JsonObject WithResourceVersion(JsonObject runtime, string ns, string name)
    {
        var copy = (JsonObject)runtime.DeepClone();
        copy["metadata"]!["resourceVersion"] = sim.Host.Store.Get(Kinds.ServingRuntime, ns, name).At("metadata", "resourceVersion")!.ToString();
        return copy;
    }

    private static string Path(string ns) => $"/apis/serving.kserve.io/v1alpha1/namespaces/{ns}/servingruntimes";

    private static JsonObject Format(string name, string? version, bool autoSelect, int? priority)
    {
        var format = new JsonObject { ["name"] = name, ["autoSelect"] = autoSelect };
        if (version is not null)
        {
            format["version"] = version;
        }

        if (priority is not null)
        {
            format["priority"] = priority;
        }

        return format;
    }

    private static JsonObject Runtime(string ns, string name, params JsonObject[] formats) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1alpha1",
        ["kind"] = "ServingRuntime",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["protocolVersions"] = new JsonArray("v2", "grpc-v2"),
            ["supportedModelFormats"] = new JsonArray(formats.Select(f => (JsonNode)f).ToArray()),
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "quay.io/example/server:1" }),
        },
    };

    private static JsonObject MultiNode(string ns, string name)
    {
        var runtime = Runtime(ns, name, Format("vllm", null, autoSelect: false, priority: null));
        runtime["spec"]!["workerSpec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "worker-container", ["image"] = "vllm" }) };
        return runtime;
    }
}
