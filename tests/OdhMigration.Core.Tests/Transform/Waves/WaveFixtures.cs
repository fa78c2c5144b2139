using OdhMigration.Core.Stages.Transform.Waves;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Tests.Transform.Waves;

/// <summary>Builds the capacity.json documents (CapacityReport) and wave candidates the tests plan from.</summary>
internal static class WaveFixtures
{
    public const string Gpu = "nvidia.com/gpu";
    public const string Ns = "ml";

    public static readonly Dictionary<string, string> A100 = new() { ["nvidia.com/gpu.product"] = "A100" };

    public static ItemDemand Demand(string name, decimal gpu, decimal holdsGpu = 0, bool canStop = false, string? runtime = null, Dictionary<string, string>? selector = null, int replicas = 1, string ns = Ns) => new()
    {
        Namespace = ns,
        Name = name,
        Runtime = runtime,
        OriginalCanBeStopped = canStop,
        Components = [new ComponentDemand("predictor", replicas, new() { [Gpu] = gpu, ["cpu"] = 1, ["memory"] = 4m * 1024 * 1024 * 1024 }, selector ?? A100)],
        Total = new() { [Gpu] = gpu * replicas, ["cpu"] = replicas, ["memory"] = replicas * 4m * 1024 * 1024 * 1024 },
        OriginalHolds = holdsGpu == 0 ? [] : new() { [Gpu] = holdsGpu, ["cpu"] = 1, ["memory"] = 4m * 1024 * 1024 * 1024 },
    };

    public static WaveCandidate Candidate(ItemDemand demand, string strategy = Strategies.SideBySide, string? targetNamespace = null) =>
        new(demand.Namespace, demand.Name, targetNamespace ?? demand.Namespace, strategy, demand.Runtime, demand);

    /// <summary>A pool of one node holding all of it.</summary>
    public static CapacityPool Pool(string key, decimal allocatableGpu, decimal freeGpu, Dictionary<string, string>? labels = null) =>
        NodesPool(key, labels, ($"{key}-node-1", allocatableGpu, freeGpu));

    /// <summary>A pool of the given nodes (name, allocatable GPUs, free GPUs), each with 64 CPUs (48 free) and 512Gi (400Gi free).</summary>
    public static CapacityPool NodesPool(string key, Dictionary<string, string>? labels, params (string Name, decimal AllocatableGpu, decimal FreeGpu)[] nodes)
    {
        var perNode = nodes.Select(n => new NodeCapacity(n.Name,
            new() { [Gpu] = n.AllocatableGpu, ["cpu"] = 64, ["memory"] = 512m * 1024 * 1024 * 1024 },
            new() { [Gpu] = n.FreeGpu, ["cpu"] = 48, ["memory"] = 400m * 1024 * 1024 * 1024 })).ToList();
        return new(key, labels ?? A100, [.. nodes.Select(n => n.Name)],
            new() { [Gpu] = nodes.Sum(n => n.AllocatableGpu), ["cpu"] = 64 * nodes.Length, ["memory"] = nodes.Length * 512m * 1024 * 1024 * 1024 },
            new() { [Gpu] = nodes.Sum(n => n.AllocatableGpu - n.FreeGpu) },
            new() { [Gpu] = nodes.Sum(n => n.FreeGpu), ["cpu"] = 48 * nodes.Length, ["memory"] = nodes.Length * 400m * 1024 * 1024 * 1024 })
        { PerNode = perNode };
    }

    public static CapacityReport CapacityOf(IEnumerable<ItemDemand> items, IEnumerable<CapacityPool> pools, IEnumerable<NamespaceQuota>? quotas = null) => new()
    {
        Items = [.. items],
        Quotas = [.. quotas ?? []],
        Cluster = new ClusterCapacity { Readable = true, Pools = [.. pools] },
    };

    public static WavePlan Auto(CapacityReport capacity, IReadOnlyList<WaveCandidate> candidates, WaveOrder? order = null) =>
        WavePlanner.Plan(candidates, new WaveSettings(WaveModes.Auto, null, order ?? WaveOrder.Default), capacity);

    public static List<List<string>> Names(WavePlan plan) => plan.Waves.Select(w => w.Items.Select(i => i.Split('/')[1]).ToList()).ToList();
}
