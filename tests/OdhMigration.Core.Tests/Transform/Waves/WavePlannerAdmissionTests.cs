using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Transform.Waves.WaveFixtures;

namespace OdhMigration.Core.Tests.Transform.Waves;

/// <summary>
/// Placement as kube-scheduler's TaintToleration and NodeAffinity filters decide it, and requests as admission leaves
/// them (LimitRange defaults, init containers). Each test failed before the planner knew the rule.
/// </summary>
public sealed class WavePlannerAdmissionTests
{
    private const decimal Gi = 1024m * 1024 * 1024;
    private const string GpuTaint = "nvidia.com/gpu:NoSchedule";

    private static CapacityPool Tainted(CapacityPool pool) => pool with { Key = $"{pool.Key} tainted {GpuTaint}", Taints = [GpuTaint] };

    private static ItemDemand Tolerating(ItemDemand demand, params string[] tolerations) =>
        demand with { Components = [.. demand.Components.Select(c => c with { Tolerations = [.. tolerations] })] };

    [Fact]
    public void A_pod_without_a_toleration_is_refused_by_a_tainted_pool_and_says_why()
    {
        // Before taints were checked, both items were planned into one wave on the tainted node.
        var demands = new[] { Demand("plain", 1), Tolerating(Demand("tolerant", 1), "nvidia.com/gpu") };
        var plan = Auto(CapacityOf(demands, [Tainted(Pool("a100", 4, 4))]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["tolerant"]], Names(plan));
        Assert.Contains("predictor pod 1 of 1: no node tolerates it", plan.Refused["ml/plain"], StringComparison.Ordinal);
        Assert.Contains($"its tolerations (none) do not tolerate: pool a100 tainted {GpuTaint} ({GpuTaint})", plan.Refused["ml/plain"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_tainted_node_is_skipped_for_a_pod_that_does_not_tolerate_it_and_used_by_one_that_does()
    {
        // Two GPU nodes with one GPU free each; the first in name order is tainted.
        var pool = NodesPool("a100", null, ("a-node", 1, 1));
        var open = NodesPool("b100", null, ("b-node", 1, 1));
        var demands = new[] { Demand("plain", 1), Tolerating(Demand("tolerant", 1), "nvidia.com/gpu=:NoSchedule", "*") };
        var plan = Auto(CapacityOf(demands, [Tainted(pool), open]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        var wave = Assert.Single(plan.Waves);
        Assert.Contains(wave.Arithmetic, l => l.StartsWith("ml/plain predictor: 1 pod(s) of nvidia.com/gpu 1", StringComparison.Ordinal) && l.EndsWith("on node b-node", StringComparison.Ordinal));
        Assert.Contains(wave.Arithmetic, l => l.StartsWith("ml/tolerant predictor:", StringComparison.Ordinal) && l.EndsWith("on node a-node", StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_selector_matches_the_node_labels_capacity_json_records_per_node()
    {
        // Before node labels were recorded, only the GPU product could match: "no node pool matches its node selector".
        var selector = new Dictionary<string, string> { ["node-role/inference"] = "true" };
        var pool = NodesPool("a100", null, ("n1", 2, 2), ("n2", 2, 2));
        pool = pool with { PerNode = [pool.PerNode[0], pool.PerNode[1] with { Labels = new() { ["node-role/inference"] = "true" } }] };
        var demands = new[] { Demand("a", 1, selector: selector) };
        var plan = Auto(CapacityOf(demands, [pool]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Contains(Assert.Single(plan.Waves).Arithmetic, l => l.StartsWith("ml/a predictor:", StringComparison.Ordinal) && l.EndsWith("on node n2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_limitrange_default_fills_the_missing_limit_so_the_item_is_planned_and_its_limit_counted()
    {
        // Before LimitRanges were read, a container without a memory limit under limits.memory was refused.
        var containers = new List<ContainerDemand> { new("kserve-container", new() { [Gpu] = 1, ["cpu"] = 1, ["memory"] = 4 * Gi }, new() { [Gpu] = 1, ["cpu"] = 2 }) };
        ItemDemand Item(string name) => Demand(name, 1) is var d ? d with
        {
            Components = [d.Components[0] with { PerReplicaLimits = new() { [Gpu] = 1, ["cpu"] = 2 }, WithoutLimits = new() { ["memory"] = ["kserve-container"] }, Containers = containers }],
        } : d;
        var demands = new[] { Item("a"), Item("b") };
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.memory"] = 12 * Gi }, new(), new() { ["limits.memory"] = 12 * Gi });
        var capacity = CapacityOf(demands, [Pool("a100", 8, 8)], [quota]) with
        {
            LimitRanges = [new NamespaceLimitRange(Ns, "defaults", new() { ["memory"] = 8 * Gi }, new() { ["memory"] = 8 * Gi })],
        };

        var plan = Auto(capacity, demands.Select(d => Candidate(d)).ToList());

        // Each pod's memory limit is the LimitRange's 8Gi: one fits under 12Gi; the second never fits beside the first's
        // replacement (no original holds anything a cleanup could free), so it is refused with the quota's numbers.
        Assert.Equal([["a"]], Names(plan));
        Assert.Contains("needs limits.memory 8Gi, at most 4Gi free under quota ml/compute", plan.Refused["ml/b"], StringComparison.Ordinal);
        Assert.Contains(plan.Waves[0].Arithmetic, l => l == "ml/a predictor: container kserve-container: memory limit from LimitRange ml/defaults");
        Assert.Contains("limits.memory: free 12Gi (quota ml/compute) - wave 8Gi = 4Gi", plan.Waves[0].Arithmetic);
    }

    [Fact]
    public void A_limitrange_of_another_namespace_does_not_apply()
    {
        var containers = new List<ContainerDemand> { new("kserve-container", new() { ["cpu"] = 1 }, new() { ["cpu"] = 2 }) };
        var demand = Demand("a", 1) is var d ? d with
        {
            Components = [d.Components[0] with { WithoutLimits = new() { ["memory"] = ["kserve-container"] }, Containers = containers }],
        } : d;
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.memory"] = 12 * Gi }, new(), new() { ["limits.memory"] = 12 * Gi });
        var capacity = CapacityOf([demand], [Pool("a100", 8, 8)], [quota]) with
        {
            LimitRanges = [new NamespaceLimitRange("elsewhere", "defaults", new() { ["memory"] = 8 * Gi }, new() { ["memory"] = 8 * Gi })],
        };

        var plan = Auto(capacity, [Candidate(demand)]);

        Assert.Contains("state no memory limit: predictor container(s) kserve-container", plan.Refused["ml/a"], StringComparison.Ordinal);
    }
}
