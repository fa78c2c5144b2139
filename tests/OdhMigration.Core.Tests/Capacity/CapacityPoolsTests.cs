using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.Capacity;

public sealed class CapacityPoolsTests
{
    private const decimal Gi = 1024m * 1024 * 1024;

    internal static string Node(string name, string cpu, string memory, int gpus = 0, string? product = null, bool cordoned = false, string taints = "[]") => $$"""
        apiVersion: v1
        kind: Node
        metadata:
          name: {{name}}
          labels: {kubernetes.io/hostname: {{name}}{{(product is null ? "" : $", nvidia.com/gpu.product: {product}")}}}
        spec: {unschedulable: {{(cordoned ? "true" : "false")}}, taints: {{taints}}}
        status:
          allocatable: {cpu: '{{cpu}}', memory: {{memory}}, pods: '110'{{(gpus > 0 ? $", nvidia.com/gpu: '{gpus}'" : "")}}}
        """;

    internal static string Pod(string name, string ns, string node, string cpu, string memory, int gpus = 0, string phase = "Running")
    {
        var limits = gpus > 0 ? $"nvidia.com/gpu: '{gpus}'" : "";
        return $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}, namespace: {{ns}}}
            spec:
              nodeName: {{node}}
              initContainers:
              - name: init
                resources:
                  requests: {cpu: '100m'}
              containers:
              - name: main
                resources:
                  requests: {cpu: '{{cpu}}', memory: {{memory}}}
                  limits: { {{limits}} }
            status: {phase: {{phase}}}
            """;
    }

    private static JsonObject Parse(string yaml) => (JsonObject)Yaml.ParseSingle(yaml, "test")!;

    [Fact]
    public void Nodes_are_pooled_by_gpu_product_and_taints_and_free_is_allocatable_minus_bound_pods()
    {
        var nodes = new[]
        {
            Node("w1", "8", "32Gi"), Node("w2", "7500m", "16Gi"),
            Node("g1", "32", "256Gi", gpus: 4, product: "NVIDIA-A100-SXM4-40GB", taints: "[{key: nvidia.com/gpu, effect: NoSchedule}]"),
            Node("m1", "4", "16Gi", taints: "[{key: node-role.kubernetes.io/master, effect: NoSchedule}, {key: x, effect: PreferNoSchedule}]"),
            Node("c1", "64", "512Gi", cordoned: true),
        }.Select(Parse).ToList();
        var pods = new[]
        {
            Pod("a", "p", "w1", "2", "4Gi"), Pod("b", "q", "w2", "500m", "1Gi"), Pod("done", "p", "w1", "4", "4Gi", phase: "Succeeded"),
            Pod("llm", "p", "g1", "4", "64Gi", gpus: 3), Pod("gone", "p", "c1", "1", "1Gi"),
        }.Select(Parse).ToList();
        var warnings = new List<string>();

        var pools = CapacityPools.Build(nodes, pods, warnings);

        Assert.Equal(["NVIDIA-A100-SXM4-40GB tainted nvidia.com/gpu:NoSchedule", "default", "default tainted node-role.kubernetes.io/master:NoSchedule"], pools.Select(p => p.Key));
        var general = pools.Single(p => p.Key == "default");
        Assert.Equal(["w1", "w2"], general.Nodes);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 15.5m, ["memory"] = 48 * Gi, ["pods"] = 220 }, general.Allocatable);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2.5m, ["memory"] = 5 * Gi, ["pods"] = 2 }, general.Requested);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 13m, ["memory"] = 43 * Gi, ["pods"] = 218 }, general.Free);
        Assert.Empty(general.Labels);

        var gpu = pools[0];
        Assert.Equal(new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-40GB" }, gpu.Labels);
        Assert.Equal(["nvidia.com/gpu:NoSchedule"], gpu.Taints);
        Assert.Equal(1m, gpu.Free["nvidia.com/gpu"]);
        Assert.Equal(28m, gpu.Free["cpu"]);
        Assert.Contains(warnings, w => w.StartsWith("node c1 is cordoned", StringComparison.Ordinal));

        // Per node, so a pod is placed on one node and not on the pool's sum.
        Assert.Equal(["w1", "w2"], general.PerNode.Select(n => n.Name));
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 6m, ["memory"] = 28 * Gi, ["pods"] = 109 }, general.PerNode[0].Free);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 7m, ["memory"] = 15 * Gi, ["pods"] = 109 }, general.PerNode[1].Free);
        Assert.Equal(8m, general.PerNode[0].Allocatable["cpu"]);
        Assert.Equal(1m, Assert.Single(gpu.PerNode).Free["nvidia.com/gpu"]);
    }

    [Fact]
    public void A_node_with_a_bad_allocatable_quantity_is_left_out_with_a_warning_naming_the_field()
    {
        var warnings = new List<string>();
        var pools = CapacityPools.Build([Parse(Node("w1", "8", "32 GB")), Parse(Node("w2", "4", "8Gi"))], [], warnings);

        Assert.Equal(["w2"], Assert.Single(pools).Nodes);
        Assert.Contains(warnings, w => w.StartsWith("Node w1: status.allocatable.memory: '32 GB'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pod_counts_its_largest_init_container_when_that_is_more_and_its_overhead()
    {
        var pod = Parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: x, namespace: p}
            spec:
              overhead: {cpu: 250m}
              initContainers:
              - {name: big-init, resources: {requests: {cpu: '3', memory: 1Gi}}}
              - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: 100m}}}
              containers:
              - {name: a, resources: {requests: {cpu: '1', memory: 2Gi}}}
              - {name: b, resources: {limits: {cpu: '1'}}}
            """);

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 3.25m, ["memory"] = 2 * Gi }, PodRequests.Of(pod));
    }

    [Fact]
    public void A_quota_records_hard_used_and_free_in_its_own_keys()
    {
        var quota = Quotas.From(Parse("""
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: compute, namespace: p}
            spec: {hard: {requests.cpu: '10'}}
            status:
              hard: {requests.cpu: '20', requests.memory: 64Gi, requests.nvidia.com/gpu: '4', pods: '50'}
              used: {requests.cpu: 12500m, requests.memory: 70Gi, requests.nvidia.com/gpu: '1', pods: '7'}
            """));

        Assert.Equal(("p", "compute"), (quota.Namespace, quota.Name));
        Assert.Equal(20m, quota.Hard["requests.cpu"]);
        Assert.Equal(new Dictionary<string, decimal> { ["pods"] = 43, ["requests.cpu"] = 7.5m, ["requests.memory"] = 0, ["requests.nvidia.com/gpu"] = 3 }, quota.Free);
    }

    [Fact]
    public void Per_node_only_the_labels_a_node_selector_names_are_recorded()
    {
        var nodes = new[] { Node("w1", "8", "32Gi"), Node("g1", "32", "256Gi", gpus: 4, product: "NVIDIA-A100-SXM4-40GB") }.Select(Parse).ToList();

        var named = CapacityPools.Build(nodes, [], [], new HashSet<string>(StringComparer.Ordinal) { "kubernetes.io/hostname", "nvidia.com/gpu.product" });
        var unnamed = CapacityPools.Build(nodes, [], []);

        // The GPU product is the pool's label; the hostname is what a selector named.
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/hostname"] = "g1" }, named.SelectMany(p => p.PerNode).Single(n => n.Name == "g1").Labels);
        Assert.All(unnamed.SelectMany(p => p.PerNode), n => Assert.Null(n.Labels));
    }
}
