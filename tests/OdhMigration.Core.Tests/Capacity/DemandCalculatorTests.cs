using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Capacity;

/// <summary>The replacement's requests from the real ISVC and runtime shapes in ../shared/fixtures/upstream.</summary>
public sealed class DemandCalculatorTests
{
    private const decimal Gi = 1024m * 1024 * 1024;
    private const decimal Mi = 1024m * 1024;
    private const string Gpu = "nvidia.com/gpu";

    private static JsonObject Upstream(string relative)
    {
        var path = Path.Combine(RepoPaths.Shared, "fixtures", "upstream", relative);
        var obj = (JsonObject)Yaml.ParseDocuments(File.ReadAllText(path), path).Select(d => d.Root).OfType<JsonObject>().First().DeepClone();
        obj.Metadata()["namespace"] ??= "p";
        return obj;
    }

    private static JsonObject Parse(string yaml) => (JsonObject)Yaml.ParseSingle(yaml, "test")!;

    [Fact]
    public void A_gpu_model_requests_what_its_isvc_sets_merged_over_its_runtime_with_its_tolerations()
    {
        var isvc = Upstream("parasol-insurance/ic-shared-llm__inference-service-granite-modelcar.yaml");
        var runtime = Upstream("parasol-insurance/ic-shared-llm__serving-runtime-vllm-granite-modelcar.yaml");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, "vllm", runtime, []));

        var predictor = Assert.Single(demand.Components);
        Assert.Equal(("predictor", 1), (predictor.Component, predictor.Replicas));
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1m, ["memory"] = 8 * Gi, [Gpu] = 1m }, predictor.PerReplica);
        Assert.Equal(["nvidia.com/gpu:NoSchedule"], predictor.Tolerations);
        Assert.Equal(predictor.PerReplica, demand.Total);
        Assert.Equal(("ic-shared-llm", "granite-3-1-8b-instruct", "vllm"), (demand.Namespace, demand.Name, demand.Runtime));
        Assert.True(demand.OriginalCanBeStopped);
    }

    [Fact]
    public void The_isvc_wins_key_by_key_over_the_runtime_container_and_absent_requests_default_to_limits()
    {
        var runtime = Parse("""
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata: {name: rt, namespace: p}
            spec:
              nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-40GB, zone: a}
              containers:
              - name: kserve-container
                resources:
                  requests: {cpu: "2", memory: 4Gi}
                  limits: {nvidia.com/gpu: "2"}
              - name: agent
                resources: {limits: {cpu: 250m, memory: 128Mi}}
            """);
        var isvc = Parse("""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: m, namespace: p}
            spec:
              predictor:
                minReplicas: 3
                nodeSelector: {zone: b}
                model:
                  runtime: rt
                  resources: {requests: {memory: 16Gi}}
            """);

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, "rt", runtime, []));

        var predictor = Assert.Single(demand.Components);
        Assert.Equal(3, predictor.Replicas);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2.25m, ["memory"] = (16 * Gi) + (128 * Mi), [Gpu] = 2m }, predictor.PerReplica);
        Assert.Equal(new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-40GB", ["zone"] = "b" }, predictor.NodeSelector);
        Assert.Equal(6m, demand.Total[Gpu]);
        Assert.Equal(6.75m, demand.Total["cpu"]);
    }

    [Theory]
    [InlineData("minReplicas: 0", 1)]
    [InlineData("", 1)]
    [InlineData("minReplicas: 2", 2)]
    [InlineData("annotations: {autoscaling.knative.dev/min-scale: '4'}", 4)]
    public void Replicas_are_min_replicas_kserve_default_one_and_never_zero(string field, int expected)
    {
        var isvc = Parse($$"""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: m, namespace: p}
            spec:
              predictor:
                {{field}}
                model:
                  runtime: rt
                  resources:
                    requests: {cpu: 500m}
            """);

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, "rt", null, []));

        Assert.Equal(expected, Assert.Single(demand.Components).Replicas);
        Assert.Equal(0.5m * expected, demand.Total["cpu"]);
        Assert.Equal(field == "minReplicas: 0", demand.Notes.Any(n => n.Contains("scale to zero", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_container_of_a_collocated_predictor_counts()
    {
        var isvc = Upstream("kserve-odh/samples/v1beta1__transformer__collocation__collocation.yaml");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null, []));

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.2m, ["memory"] = 512 * Mi }, Assert.Single(demand.Components).PerReplica);
    }

    [Fact]
    public void Old_framework_predictors_and_the_explainer_are_components_of_their_own()
    {
        var isvc = Upstream("kserve-odh/samples/explanation__alibi__income__income.yaml");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null, []));

        Assert.Equal(["predictor", "explainer"], demand.Components.Select(c => c.Component));
        Assert.All(demand.Components, c => Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.1m, ["memory"] = Gi }, c.PerReplica));
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.2m, ["memory"] = 2 * Gi }, demand.Total);
    }

    [Fact]
    public void A_transformer_without_resources_is_counted_as_nothing_with_a_note()
    {
        var isvc = Upstream("kserve-odh/samples/v1beta1__transformer__torchserve_image_transformer__transformer.yaml");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null, []));

        var transformer = Assert.Single(demand.Components, c => c.Component == "transformer");
        Assert.Empty(transformer.PerReplica);
        Assert.Contains(demand.Notes, n => n.StartsWith("transformer: no container sets requests", StringComparison.Ordinal));
    }

    [Fact]
    public void A_modelmesh_isvc_is_sized_by_its_runtime_container_and_replicas_and_holds_nothing_it_can_free()
    {
        var isvc = Upstream("parasol-insurance/ic-shared-img-det__model.yaml");
        var runtime = Upstream("parasol-insurance/ic-shared-img-det__runtime.yaml");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.ModelMesh, "ovms", runtime, []));

        var predictor = Assert.Single(demand.Components);
        Assert.Equal(1, predictor.Replicas);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1m, ["memory"] = Gi }, predictor.PerReplica);
        Assert.False(demand.OriginalCanBeStopped);
        Assert.Empty(demand.OriginalHolds);
        Assert.Contains(demand.Notes, n => n.Contains("last InferenceService on the runtime is cleaned up", StringComparison.Ordinal));
    }

    [Fact]
    public void A_modelmesh_isvc_without_any_resources_gets_transforms_default_size()
    {
        var isvc = Upstream("parasol-insurance/ic-shared-img-det__model.yaml");
        var runtime = Upstream("parasol-insurance/ic-shared-img-det__runtime.yaml");
        ((JsonObject)runtime.At("spec", "containers")![0]!).Remove("resources");

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.ModelMesh, "ovms", runtime, null));

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1m, ["memory"] = 4 * Gi }, Assert.Single(demand.Components).PerReplica);
    }

    [Fact]
    public void A_serverless_original_holds_what_its_running_pods_request()
    {
        var isvc = Upstream("kserve-odh/samples/storage__hf__hf_isvc.yaml");
        JsonObject Pod(string name, string phase, string isvcName) => Parse($$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
              namespace: p
              labels: {serving.kserve.io/inferenceservice: {{isvcName}} }
            spec:
              containers:
              - name: kserve-container
                resources:
                  requests: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
              - name: queue-proxy
                resources:
                  requests: {cpu: 25m, memory: 50Mi}
            status: {phase: {{phase}}}
            """);

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null,
            [Pod("a", "Running", "huggingface-llama2"), Pod("b", "Succeeded", "huggingface-llama2"), Pod("c", "Running", "other")]));

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6.025m, ["memory"] = (24 * Gi) + (50 * Mi), [Gpu] = 1m }, demand.OriginalHolds);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6m, ["memory"] = 24 * Gi, [Gpu] = 1m }, demand.Total);
    }

    [Fact]
    public void Limits_are_summed_per_replica_and_containers_without_a_cpu_or_memory_limit_or_request_are_named()
    {
        var runtime = Parse("""
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata: {name: rt, namespace: p}
            spec:
              containers:
              - name: kserve-container
                resources:
                  requests: {cpu: "2", memory: 4Gi}
                  limits: {cpu: "4", nvidia.com/gpu: "1"}
              - name: agent
                resources: {limits: {cpu: 250m, memory: 128Mi}}
              - name: bare
            """);
        var isvc = Parse("""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: m, namespace: p}
            spec:
              predictor:
                minReplicas: 2
                model: {runtime: rt}
            """);

        var predictor = Assert.Single(DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, "rt", runtime, [])).Components);

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 4.25m, ["memory"] = 128 * Mi, [Gpu] = 1m }, predictor.PerReplicaLimits);
        Assert.Equal(["kserve-container", "bare"], predictor.WithoutLimits["memory"]);
        Assert.Equal(["bare"], predictor.WithoutLimits["cpu"]);
        Assert.Equal(["bare"], predictor.WithoutRequests["cpu"]);
        Assert.Equal(["bare"], predictor.WithoutRequests["memory"]);
    }

    [Fact]
    public void A_serverless_original_records_the_nodes_its_pods_run_on_and_their_limits()
    {
        var isvc = Upstream("kserve-odh/samples/storage__hf__hf_isvc.yaml");
        JsonObject Pod(string name, string node) => Parse($$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
              namespace: p
              labels: {serving.kserve.io/inferenceservice: huggingface-llama2}
            spec:
              nodeName: {{node}}
              containers:
              - name: kserve-container
                resources:
                  requests: {cpu: "6", memory: 24Gi}
                  limits: {cpu: "8", memory: 24Gi, nvidia.com/gpu: "1"}
            status: {phase: Running}
            """);

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null, [Pod("a", "g2"), Pod("b", "g1"), Pod("c", "g2")]));

        Assert.Equal(["g1", "g2"], demand.OriginalHoldsPerNode.Keys);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 12m, ["memory"] = 48 * Gi, [Gpu] = 2m }, demand.OriginalHoldsPerNode["g2"]);
        Assert.Equal(1m, demand.OriginalHoldsPerNode["g1"][Gpu]);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 24m, ["memory"] = 72 * Gi, [Gpu] = 3m }, demand.OriginalHoldsLimits);
    }

    [Fact]
    public void A_bad_quantity_names_the_object_and_field()
    {
        var isvc = Upstream("kserve-odh/samples/storage__hf__hf_isvc.yaml");
        isvc.At("spec", "predictor", "model", "resources", "requests")!["memory"] = "24 GiB";

        var error = Assert.Throws<QuantityException>(() => DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, null, null, [])));

        Assert.StartsWith("InferenceService p/huggingface-llama2: spec.predictor.model.resources.requests.memory: '24 GiB'", error.Message, StringComparison.Ordinal);
    }
}
