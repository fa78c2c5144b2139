using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Capacity;

/// <summary>
/// What a replacement's pod counts once Kubernetes admits it: init containers (k8s.io/component-helpers/resource
/// PodRequests), LimitRange defaults (the LimitRanger admission plugin), and which tolerations KServe gives the pod and
/// which taints they tolerate (Toleration.ToleratesTaint).
/// </summary>
public sealed class PodAdmissionRulesTests
{
    private const decimal Gi = 1024m * 1024 * 1024;

    private static JsonObject Parse(string yaml) => (JsonObject)Yaml.ParseSingle(yaml, "test")!;

    private static JsonObject Isvc(string predictorExtra) => Parse($$"""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: p}
        spec:
          predictor:
        {{predictorExtra}}
            model:
              runtime: rt
              resources:
                requests: {cpu: '2', memory: 4Gi}
                limits: {cpu: '2', memory: 4Gi}
        """);

    [Fact]
    public void An_init_container_larger_than_the_app_containers_sets_the_pods_request_and_a_sidecar_adds_to_both()
    {
        // Before init containers were counted, this pod requested 2 CPU and 4Gi: the 6 CPU download step was left out.
        var isvc = Isvc("""
                initContainers:
                - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 500m, memory: 1Gi}}}
                - {name: download, resources: {requests: {cpu: '6', memory: 2Gi}, limits: {cpu: '6', memory: 2Gi}}}
            """);

        var demand = DemandCalculator.Compute(new DemandInput(isvc, DeploymentMode.Serverless, "rt", null, []));

        var predictor = Assert.Single(demand.Components);
        // cpu: max(2 + 0.5 app and sidecar, 6 + 0.5 init with the sidecar before it); memory: max(4 + 1, 2 + 1).
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6.5m, ["memory"] = 5 * Gi }, predictor.PerReplica);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6m, ["memory"] = 4 * Gi }, predictor.PerReplicaLimits);
        Assert.Equal(["proxy"], predictor.WithoutLimits["cpu"]);
        Assert.NotNull(predictor.Containers);
        Assert.Equal([ContainerDemand.SidecarKind, ContainerDemand.InitKind, null], predictor.Containers.Select(c => c.Init));
    }

    [Fact]
    public void The_components_tolerations_replace_the_runtimes_as_kserve_merges_the_pod_spec()
    {
        var runtime = Parse("""
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata: {name: rt, namespace: p}
            spec:
              tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
              containers: [{name: kserve-container}]
            """);
        var own = Isvc("""
                tolerations: [{key: nvidia.com/gpu, operator: Exists}, {operator: Exists, effect: NoExecute}]
            """);
        var inherited = Isvc("");

        var withOwn = Assert.Single(DemandCalculator.Compute(new DemandInput(own, DeploymentMode.Serverless, "rt", runtime, [])).Components);
        var withRuntimes = Assert.Single(DemandCalculator.Compute(new DemandInput(inherited, DeploymentMode.Serverless, "rt", runtime, [])).Components);

        Assert.Equal(["*:NoExecute", "nvidia.com/gpu"], withOwn.Tolerations);
        Assert.Equal(["dedicated=ml:NoSchedule"], withRuntimes.Tolerations);
    }

    [Theory]
    [InlineData("nvidia.com/gpu", "nvidia.com/gpu:NoSchedule", true)] // Exists, any effect
    [InlineData("nvidia.com/gpu:NoExecute", "nvidia.com/gpu:NoSchedule", false)] // effect must match when named
    [InlineData("*", "dedicated=ml:NoExecute", true)] // empty key with Exists tolerates everything
    [InlineData("dedicated=ml:NoSchedule", "dedicated=ml:NoSchedule", true)]
    [InlineData("dedicated=ai", "dedicated=ml:NoSchedule", false)] // Equal compares the value
    [InlineData("dedicated=", "dedicated:NoSchedule", true)] // Equal with no value matches a taint without one
    [InlineData("other", "dedicated=ml:NoSchedule", false)]
    public void Tolerations_match_taints_as_kubernetes_matches_them(string toleration, string taint, bool tolerated) =>
        Assert.Equal(tolerated, Tolerations.Tolerates(toleration, taint));

    [Fact]
    public void A_limitrange_fills_in_what_a_container_does_not_state_and_never_overrides_what_it_does()
    {
        var containers = new List<ContainerDemand>
        {
            new("kserve-container", new() { ["cpu"] = 1m }, new() { ["cpu"] = 2m }),
            new("agent", [], new() { ["memory"] = 1 * Gi }),
        };
        var ranges = new List<NamespaceLimitRange>
        {
            new("p", "b-later", new() { ["memory"] = 8 * Gi }, new() { ["memory"] = 8 * Gi }),
            new("p", "a-defaults", new() { ["cpu"] = 4m, ["memory"] = 2 * Gi }, new() { ["cpu"] = 0.5m, ["memory"] = 512m * 1024 * 1024 }),
        };

        var pod = ReplicaResources.Of(containers, ranges);

        // kserve-container: cpu as stated, memory limit 2Gi and request 0.5Gi from a-defaults (applied first, by name);
        // agent: memory request 1Gi from its own limit (the API's default), cpu limit 4 and request 0.5 from a-defaults.
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1.5m, ["memory"] = 1.5m * Gi }, pod.Requests);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6m, ["memory"] = 3 * Gi }, pod.Limits);
        Assert.Empty(pod.WithoutLimits);
        Assert.Empty(pod.WithoutRequests);
        Assert.Contains("container kserve-container: memory limit, memory request from LimitRange p/a-defaults", pod.Defaulted);
    }
}
