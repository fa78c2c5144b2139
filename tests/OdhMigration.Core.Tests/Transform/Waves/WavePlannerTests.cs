using OdhMigration.Core.Stages.Transform.Waves;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using static OdhMigration.Core.Tests.Transform.Waves.WaveFixtures;

namespace OdhMigration.Core.Tests.Transform.Waves;

public sealed class WavePlannerTests
{
    [Fact]
    public void Gpu_demand_beyond_free_capacity_splits_into_waves_with_cleanup_in_between()
    {
        // 20 GPUs, 12 held by the three running originals: 8 free, each replacement needs 4.
        var demands = new[] { Demand("a", 4, holdsGpu: 4), Demand("b", 4, holdsGpu: 4), Demand("c", 4, holdsGpu: 4) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 20, 8)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["a", "b"], ["c"]], Names(plan));
        Assert.Empty(plan.Refused);
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
        Assert.False(plan.Waves[0].StopOriginalsFirst);
        Assert.False(plan.Waves[1].CleanupBeforeNextWave);
        Assert.Equal(8, plan.Waves[0].Demand[Gpu]);
        Assert.Contains("nvidia.com/gpu: free 8 (pool a100) - wave 8 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("nvidia.com/gpu: free 0 (pool a100) + 8 freed by cleanup of wave 1 - wave 4 = 4", plan.Waves[1].Arithmetic);
        Assert.Equal(2, plan.WaveOf["ml/c"]);
    }

    [Fact]
    public void Everything_that_fits_at_once_is_one_wave()
    {
        var demands = new[] { Demand("a", 1, holdsGpu: 1), Demand("b", 1, holdsGpu: 1) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 6)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["a", "b"]], Names(plan));
        Assert.False(plan.Waves[0].CleanupBeforeNextWave);
    }

    [Fact]
    public void Items_sharing_a_runtime_stay_in_one_wave()
    {
        var demands = new[] { Demand("a", 2, holdsGpu: 2, runtime: "shared"), Demand("solo", 4, holdsGpu: 4), Demand("b", 2, holdsGpu: 2, runtime: "shared") };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 12, 4)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal(plan.WaveOf["ml/a"], plan.WaveOf["ml/b"]);
        Assert.NotEqual(plan.WaveOf["ml/a"], plan.WaveOf["ml/solo"]);
        Assert.Equal(2, plan.Waves.Count);
    }

    [Fact]
    public void An_item_that_can_never_fit_is_refused_with_the_numbers_and_the_others_are_planned()
    {
        var demands = new[] { Demand("small", 1), Demand("huge", 4), Demand("other", 1) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 2, 2)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal(["ml/huge"], plan.Refused.Keys);
        Assert.Contains("needs nvidia.com/gpu 4, at most 2 free in pool a100", plan.Refused["ml/huge"], StringComparison.Ordinal);
        Assert.DoesNotContain("ml/huge", plan.WaveOf.Keys);
        Assert.Contains("ml/small", plan.WaveOf.Keys);
        Assert.Contains("ml/other", plan.WaveOf.Keys);
    }

    [Fact]
    public void Originals_that_wait_on_each_other_are_refused_rather_than_planned_into_a_wave_that_cannot_start()
    {
        // Neither replacement fits while the other's original runs, and neither original can be stopped.
        var demands = new[] { Demand("x", 1, holdsGpu: 1), Demand("y", 1, holdsGpu: 1) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 2, 0)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Waves);
        Assert.Contains("fits no wave", plan.Refused["ml/x"], StringComparison.Ordinal);
        Assert.Contains("needs nvidia.com/gpu 1, at most 0 free in pool a100", plan.Refused["ml/y"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_item_takes_the_items_sharing_its_runtime_with_it()
    {
        var demands = new[] { Demand("huge", 4, runtime: "rt"), Demand("tiny", 1, runtime: "rt"), Demand("free", 1) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 3, 3)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("at most 3 free in pool a100", plan.Refused["ml/huge"], StringComparison.Ordinal);
        Assert.Contains("shares runtime rt with ml/huge", plan.Refused["ml/tiny"], StringComparison.Ordinal);
        Assert.Equal([["free"]], Names(plan));
    }

    [Fact]
    public void A_gpu_model_whose_node_selector_matches_no_pool_is_refused()
    {
        var demands = new[] { Demand("h100", 1, selector: new() { ["nvidia.com/gpu.product"] = "H100" }) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("no node pool matches its node selector nvidia.com/gpu.product=H100", plan.Refused["ml/h100"], StringComparison.Ordinal);
        Assert.Empty(plan.Waves);
    }

    [Fact]
    public void A_gpu_model_is_placed_in_the_pool_its_node_selector_names()
    {
        var t4 = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "T4" };
        var demands = new[] { Demand("on-t4", 2, selector: t4) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8), Pool("t4", 2, 1, t4)]), demands.Select(d => Candidate(d)).ToList());

        // 9 GPUs are free in all, but only 1 where it may run.
        Assert.Contains("needs nvidia.com/gpu 2, at most 1 free in pool t4", plan.Refused["ml/on-t4"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_serverless_wave_that_fits_only_with_its_originals_stopped_says_so()
    {
        var demands = new[] { Demand("a", 4, holdsGpu: 4, canStop: true) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 4, 0)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.True(plan.Waves[0].StopOriginalsFirst);
        Assert.Contains("nvidia.com/gpu: free 0 (pool a100) + 4 freed by stopping originals - wave 4 = 0", plan.Waves[0].Arithmetic);
    }

    [Fact]
    public void A_modelmesh_original_cannot_be_stopped_so_a_replacement_that_needs_its_gpus_can_never_fit()
    {
        var demands = new[] { Demand("mm", 4, holdsGpu: 4, canStop: false) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 4, 0)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("needs nvidia.com/gpu 4, at most 0 free in pool a100", plan.Refused["ml/mm"], StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_is_the_last_resort_after_cleaning_up_earlier_waves()
    {
        var demands = new[] { Demand("a", 4, holdsGpu: 4, canStop: true), Demand("b", 4, holdsGpu: 4, canStop: true) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 12, 4)]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["a"], ["b"]], Names(plan));
        Assert.False(plan.Waves[0].StopOriginalsFirst);
        Assert.False(plan.Waves[1].StopOriginalsFirst);
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
    }

    [Fact]
    public void In_place_frees_what_the_original_holds_for_its_own_wave()
    {
        var demands = new[] { Demand("a", 4, holdsGpu: 4), Demand("b", 4, holdsGpu: 4) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 0)]), demands.Select(d => Candidate(d, Strategies.InPlace)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal([["a", "b"]], Names(plan));
        Assert.False(plan.Waves[0].StopOriginalsFirst);
        Assert.Contains("nvidia.com/gpu: free 0 (pool a100) + 8 freed by in-place deletion - wave 8 = 0", plan.Waves[0].Arithmetic);
    }

    [Fact]
    public void Namespace_quotas_limit_a_wave_even_when_nodes_have_room()
    {
        var demands = new[] { Demand("a", 2, holdsGpu: 2), Demand("b", 2, holdsGpu: 2) };
        var quota = new NamespaceQuota(Ns, "compute", new() { ["requests.nvidia.com/gpu"] = 6, ["pods"] = 10 }, new() { ["requests.nvidia.com/gpu"] = 4, ["pods"] = 2 }, new() { ["requests.nvidia.com/gpu"] = 2, ["pods"] = 8 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 16, 12)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["a"], ["b"]], Names(plan));
        Assert.Contains("requests.nvidia.com/gpu: free 2 (quota ml/compute) - wave 2 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("requests.nvidia.com/gpu: free 0 (quota ml/compute) + 2 freed by cleanup of wave 1 - wave 2 = 0", plan.Waves[1].Arithmetic);
        Assert.Contains("pods: free 8 (quota ml/compute) - wave 1 = 7", plan.Waves[0].Arithmetic);
    }

    [Fact]
    public void A_quota_that_can_never_hold_the_replacement_is_a_refusal_with_its_numbers()
    {
        var demands = new[] { Demand("a", 1, replicas: 3) };
        var quota = new NamespaceQuota(Ns, "few-pods", new() { ["pods"] = 2 }, new() { ["pods"] = 0 }, new() { ["pods"] = 2 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("needs pods 3, at most 2 free under quota ml/few-pods", plan.Refused["ml/a"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_capacity_json_has_no_demand_for_is_refused()
    {
        var known = Demand("known", 1);
        var plan = WavePlanner.Plan([Candidate(known), new WaveCandidate(Ns, "unknown", Ns, Strategies.SideBySide, null, null)], new WaveSettings(WaveModes.Auto, null, WaveOrder.Default), CapacityOf([known], [Pool("a100", 8, 8)]));

        Assert.Contains("capacity.json records no demand", plan.Refused["ml/unknown"], StringComparison.Ordinal);
        Assert.Equal([["known"]], Names(plan));
    }

    [Fact]
    public void Largest_first_puts_the_gpu_hungriest_first_and_plan_order_keeps_inventory_order()
    {
        var demands = new[] { Demand("small", 1, holdsGpu: 1), Demand("big", 3, holdsGpu: 3) };
        var capacity = CapacityOf(demands, [Pool("a100", 8, 3)]);
        var candidates = demands.Select(d => Candidate(d)).ToList();

        Assert.Equal([["big"], ["small"]], Names(Auto(capacity, candidates)));
        Assert.Equal([["small"], ["big"]], Names(Auto(capacity, candidates, WaveOrder.Parse("plan"))));
    }

    [Fact]
    public void An_explicit_order_comes_first_and_the_rest_follows_in_plan_order()
    {
        var demands = new[] { Demand("a", 1, holdsGpu: 1), Demand("b", 1, holdsGpu: 1), Demand("c", 1, holdsGpu: 1) };
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 1)]), demands.Select(d => Candidate(d)).ToList(), WaveOrder.Parse("ml/c,ml/b"));

        Assert.Equal([["c"], ["b"], ["a"]], Names(plan));
    }

    [Fact]
    public void Wave_size_packs_whole_groups_and_a_group_larger_than_the_size_is_its_own_wave()
    {
        var candidates = new[] { ("a", "rt1"), ("b", "rt1"), ("c", "rt1"), ("d", (string?)null), ("e", null), ("f", null) }
            .Select(p => new WaveCandidate(Ns, p.Item1, Ns, Strategies.SideBySide, p.Item2, null)).ToList();

        var plan = WavePlanner.Plan(candidates, new WaveSettings(WaveModes.Size, 2, WaveOrder.Parse("plan")), null);

        Assert.Equal([["a", "b", "c"], ["d", "e"], ["f"]], Names(plan));
        Assert.Contains(plan.Warnings, w => w.Contains("more than --wave-size 2", StringComparison.Ordinal));
        Assert.All(plan.Waves, w => Assert.False(w.StopOriginalsFirst || w.CleanupBeforeNextWave));
        Assert.Contains("InferenceServices: 2 (--wave-size 2; capacity not checked)", plan.Waves[1].Arithmetic);
    }

    [Fact]
    public void Wave_size_keeps_a_shared_runtime_together_even_when_it_splits_the_order()
    {
        var candidates = new[] { ("a", (string?)null), ("b", "rt"), ("c", null), ("d", "rt") }
            .Select(p => new WaveCandidate(Ns, p.Item1, Ns, Strategies.SideBySide, p.Item2, null)).ToList();

        var plan = WavePlanner.Plan(candidates, new WaveSettings(WaveModes.Size, 2, WaveOrder.Parse("plan")), null);

        Assert.Equal([["a"], ["b", "d"], ["c"]], Names(plan));
    }

    [Fact]
    public void A_pod_asking_two_gpus_does_not_fit_two_nodes_with_one_free_gpu_each()
    {
        // The pool has 2 GPUs free in all, but the scheduler places a pod on one node, and no node has 2.
        var demands = new[] { Demand("two-gpu", 2) };
        var plan = Auto(CapacityOf(demands, [NodesPool("a100", null, ("n1", 2, 1), ("n2", 2, 1))]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Waves);
        Assert.Contains("predictor pod 1 of 1 needs nvidia.com/gpu 2, at most 1 free in pool a100 on any one node (n1 1, n2 1; 2 free in all)", plan.Refused["ml/two-gpu"], StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_spread_over_nodes_and_the_plan_shows_where_each_pod_goes()
    {
        var demands = new[] { Demand("r", 1, replicas: 2) };
        var plan = Auto(CapacityOf(demands, [NodesPool("a100", null, ("n1", 2, 1), ("n2", 2, 1))]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal([["r"]], Names(plan));
        Assert.Contains("nvidia.com/gpu: free 2 (pool a100) - wave 2 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("nvidia.com/gpu: free 1 (node n1, pool a100) - wave 1 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("nvidia.com/gpu: free 1 (node n2, pool a100) - wave 1 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("ml/r predictor: 2 pod(s) of nvidia.com/gpu 1, memory 4Gi, cpu 1 on node n1, node n2", plan.Waves[0].Arithmetic);
    }

    [Fact]
    public void A_two_gpu_pod_waits_for_the_wave_whose_cleanup_frees_a_whole_node()
    {
        // n1 runs the originals of a and b (one GPU each); n2 and n3 have one GPU free each: 2 free in the pool, none
        // on one node. a and b go first (one to n2, one to n3); cleaning them up frees n1 for the 2-GPU pod.
        static ItemDemand OnN1(ItemDemand d) => d with { OriginalHoldsPerNode = new() { ["n1"] = new(d.OriginalHolds) } };
        var demands = new[] { Demand("big", 2), OnN1(Demand("a", 1, holdsGpu: 1)), OnN1(Demand("b", 1, holdsGpu: 1)) };
        var plan = Auto(CapacityOf(demands, [NodesPool("a10g", null, ("n1", 2, 0), ("n2", 2, 1), ("n3", 2, 1))]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal([["a", "b"], ["big"]], Names(plan));
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
        Assert.Contains("ml/a predictor: 1 pod(s) of nvidia.com/gpu 1, memory 4Gi, cpu 1 on node n2", plan.Waves[0].Arithmetic);
        Assert.Contains("ml/b predictor: 1 pod(s) of nvidia.com/gpu 1, memory 4Gi, cpu 1 on node n3", plan.Waves[0].Arithmetic);
        Assert.Contains("nvidia.com/gpu: free 0 (node n1, pool a10g) + 2 freed by cleanup of wave 1 - wave 2 = 0", plan.Waves[1].Arithmetic);
        Assert.Contains("ml/big predictor: 1 pod(s) of nvidia.com/gpu 2, memory 4Gi, cpu 1 on node n1", plan.Waves[1].Arithmetic);
        Assert.Contains(plan.Warnings, w => w.StartsWith("ml/big: planned in wave 2", StringComparison.Ordinal));
    }

    [Fact]
    public void An_original_on_a_node_capacity_json_does_not_list_frees_nothing_schedulable()
    {
        // a's original runs on a cordoned node (left out of the pools): cleaning it up frees nothing for b.
        var a = Demand("a", 1, holdsGpu: 1) with { OriginalHoldsPerNode = new() { ["cordoned"] = new() { [Gpu] = 1 } } };
        var b = Demand("b", 2);
        var demands = new[] { a, b };
        var plan = Auto(CapacityOf(demands, [NodesPool("a100", null, ("n1", 2, 1), ("n2", 2, 1))]), demands.Select(d => Candidate(d)).ToList(), WaveOrder.Parse("plan"));

        Assert.Equal([["a"]], Names(plan));
        Assert.Contains("needs nvidia.com/gpu 2, at most 1 free in pool a100", plan.Refused["ml/b"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_larger_than_any_nodes_allocatable_is_refused_saying_no_node_can_ever_hold_it()
    {
        var demands = new[] { Demand("huge", 2), Demand("ok", 1) };
        var plan = Auto(CapacityOf(demands, [NodesPool("a100", null, ("n1", 1, 1), ("n2", 1, 1))]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("needs nvidia.com/gpu 2, at most 1 free in pool a100 on any one node (n1 1, n2 1; 2 free in all); no node can ever hold it: the largest allocatable is 1 (node n1)", plan.Refused["ml/huge"], StringComparison.Ordinal);
        Assert.Equal([["ok"]], Names(plan));
    }

    [Fact]
    public void A_pool_recorded_without_its_nodes_counts_as_one_node_with_a_warning()
    {
        var demands = new[] { Demand("two-gpu", 2) };
        var pool = NodesPool("a100", null, ("n1", 2, 1), ("n2", 2, 1)) with { PerNode = [] };
        var plan = Auto(CapacityOf(demands, [pool]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["two-gpu"]], Names(plan));
        Assert.Contains(plan.Warnings, w => w.StartsWith("capacity.json records no per-node capacity for pool a100", StringComparison.Ordinal));
    }

    private static ItemDemand WithLimits(ItemDemand demand, Dictionary<string, decimal> limits, Dictionary<string, List<string>>? withoutLimits = null, Dictionary<string, decimal>? holdsLimits = null) => demand with
    {
        Components = [.. demand.Components.Select(c => c with { PerReplicaLimits = limits, WithoutLimits = withoutLimits ?? [] })],
        OriginalHoldsLimits = holdsLimits ?? [],
    };

    [Fact]
    public void A_limits_cpu_quota_splits_waves_and_cleanup_frees_the_originals_limits()
    {
        var limits = new Dictionary<string, decimal> { ["cpu"] = 4, ["memory"] = 8m * 1024 * 1024 * 1024 };
        var demands = new[] { WithLimits(Demand("a", 1, holdsGpu: 1), limits, holdsLimits: new() { ["cpu"] = 4 }), WithLimits(Demand("b", 1, holdsGpu: 1), limits, holdsLimits: new() { ["cpu"] = 4 }) };
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.cpu"] = 12 }, new() { ["limits.cpu"] = 8 }, new() { ["limits.cpu"] = 4 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 6)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal([["a"], ["b"]], Names(plan));
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
        Assert.Contains("limits.cpu: free 4 (quota ml/compute) - wave 4 = 0", plan.Waves[0].Arithmetic);
        Assert.Contains("limits.cpu: free 0 (quota ml/compute) + 4 freed by cleanup of wave 1 - wave 4 = 0", plan.Waves[1].Arithmetic);
    }

    [Fact]
    public void A_limits_quota_that_can_never_hold_the_replacement_is_a_refusal_naming_the_quota_and_numbers()
    {
        var demands = new[] { WithLimits(Demand("a", 1, replicas: 2), new() { ["cpu"] = 4, ["memory"] = 16m * 1024 * 1024 * 1024 }) };
        var quota = new NamespaceQuota(Ns, "mem", new() { ["limits.memory"] = 24m * 1024 * 1024 * 1024 }, new(), new() { ["limits.memory"] = 24m * 1024 * 1024 * 1024 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("needs limits.memory 32Gi, at most 24Gi free under quota ml/mem", plan.Refused["ml/a"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_without_a_limit_is_refused_where_a_quota_sets_limits_memory()
    {
        var demands = new[] { WithLimits(Demand("a", 1), new() { ["cpu"] = 4 }, withoutLimits: new() { ["memory"] = ["kserve-container"] }) };
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.memory"] = 64m * 1024 * 1024 * 1024 }, new(), new() { ["limits.memory"] = 64m * 1024 * 1024 * 1024 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Contains("quota ml/compute sets limits.memory, so Kubernetes refuses a pod whose containers state no memory limit: predictor container(s) kserve-container", plan.Refused["ml/a"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_limits_key_for_an_extended_resource_is_not_charged_by_kubernetes_so_it_does_not_hold_a_wave_back()
    {
        var demands = new[] { WithLimits(Demand("a", 1), new() { ["cpu"] = 4, [Gpu] = 1 }) };
        var quota = new NamespaceQuota(Ns, "gpu-limits", new() { ["limits.nvidia.com/gpu"] = 0 }, new(), new() { ["limits.nvidia.com/gpu"] = 0 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Empty(plan.Refused);
        Assert.Equal([["a"]], Names(plan));
    }

    [Fact]
    public void Limits_quotas_are_not_checked_with_a_warning_when_capacity_json_records_no_limits()
    {
        var demands = new[] { Demand("a", 1) };
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.cpu"] = 0 }, new(), new() { ["limits.cpu"] = 0 });
        var plan = Auto(CapacityOf(demands, [Pool("a100", 8, 8)], [quota]), demands.Select(d => Candidate(d)).ToList());

        Assert.Equal([["a"]], Names(plan));
        Assert.Contains(plan.Warnings, w => w.StartsWith("ml/a: capacity.json records no limits for it", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ml/a,ml/a", "listed more than once")]
    [InlineData("a,ml/b", "'a' is not namespace/name")]
    [InlineData(",", "expected largest, plan or a list")]
    public void Malformed_wave_orders_are_problems(string value, string expected)
    {
        Assert.Contains(WaveOrder.Problems(value), p => p.Contains(expected, StringComparison.Ordinal));
    }
}
