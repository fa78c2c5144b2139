using OdhMigration.Core.Capacity;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>One planned (ok) InferenceService as the wave planner sees it; <paramref name="Demand"/> is null when capacity.json has no entry for it.</summary>
public sealed record WaveCandidate(string Namespace, string Name, string TargetNamespace, string Strategy, string? Runtime, ItemDemand? Demand)
{
    private static readonly Dictionary<string, decimal> None = [];

    public string Key => $"{Namespace}/{Name}";

    /// <summary>in-place deletes the original before the replacement is created, so what it holds is free for its own wave.</summary>
    public bool FreedInItsWave => Strategy == Strategies.InPlace;

    /// <summary>A Serverless original kept running beside its replacement can be stopped (serving.kserve.io/stop) to free what it holds.</summary>
    public bool CanBeStopped => !FreedInItsWave && Demand?.OriginalCanBeStopped == true;

    public IReadOnlyDictionary<string, decimal> Holds => Demand?.OriginalHolds ?? None;

    /// <summary>Requests of the replacement as a whole, with pods (the replicas it starts) when the components say.</summary>
    public Dictionary<string, decimal> Requests()
    {
        var total = new Dictionary<string, decimal>(Demand?.Total ?? None, StringComparer.Ordinal);
        if (Demand is { Components.Count: > 0 } demand && !total.ContainsKey(Resources.Pods))
        {
            total[Resources.Pods] = demand.Components.Sum(c => c.Replicas);
        }

        return total;
    }

    /// <summary>
    /// Every pod the replacement starts, each on its own: per component its replicas, each asking PerReplica (and one
    /// of the node's pods), biggest first (GPUs, then memory, then CPU), so placing them in this order is first-fit
    /// decreasing. The total as one pod without a node selector when no components are recorded.
    /// </summary>
    public IEnumerable<PodDemand> Pods()
    {
        if (Demand is not { } demand)
        {
            return [];
        }

        if (demand.Components.Count == 0)
        {
            var total = new Dictionary<string, decimal>(demand.Total, StringComparer.Ordinal);
            total.TryAdd(Resources.Pods, 1);
            return [new PodDemand("replacement", 1, 1, total, new Dictionary<string, string>(), [])];
        }

        return demand.Components
            .SelectMany(c => Enumerable.Range(1, c.Replicas).Select(i =>
            {
                var amounts = new Dictionary<string, decimal>(c.PerReplica, StringComparer.Ordinal) { [Resources.Pods] = 1 };
                return new PodDemand(c.Component, i, c.Replicas, amounts, c.NodeSelector, c.Tolerations);
            }))
            .OrderByDescending(p => p.Amounts.Where(a => Resources.IsExtended(a.Key)).Sum(a => a.Value))
            .ThenByDescending(p => p.Amounts.GetValueOrDefault(Resources.Memory))
            .ThenByDescending(p => p.Amounts.GetValueOrDefault(Resources.Cpu));
    }

    /// <summary>Limits of the replacement as a whole (PerReplicaLimits x replicas); null when capacity.json did not record limits.</summary>
    public Dictionary<string, decimal>? Limits()
    {
        if (Demand is not { Components.Count: > 0 } demand || demand.Components.Any(c => c.PerReplicaLimits is null))
        {
            return Demand is { Components.Count: 0 } ? [] : null;
        }

        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var component in demand.Components)
        {
            foreach (var (resource, amount) in component.PerReplicaLimits!)
            {
                Resources.Add(total, resource, amount * component.Replicas);
            }
        }

        return total;
    }

    /// <summary>What the original holds per node its pods run on; empty when capacity.json does not say.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, decimal>> HoldsPerNode => Demand?.OriginalHoldsPerNode ?? [];

    /// <summary>The limits the original's pods hold (counted under limits.* quotas).</summary>
    public IReadOnlyDictionary<string, decimal> HoldsLimits => Demand?.OriginalHoldsLimits ?? None;

    /// <summary>
    /// This candidate as admission will create its pods in <see cref="TargetNamespace"/>: each component's containers
    /// (where capacity.json records them) with the LimitRange defaults of that namespace filled in, its per-replica
    /// requests, limits and missing values recomputed, and the total with them. Unchanged without such LimitRanges.
    /// </summary>
    public WaveCandidate WithLimitRanges(IReadOnlyList<NamespaceLimitRange> limitRanges)
    {
        var ranges = limitRanges.Where(r => r.Namespace == TargetNamespace).ToList();
        if (ranges.Count == 0 || Demand is not { } demand || demand.Components.All(c => c.Containers is null))
        {
            return this;
        }

        var components = demand.Components.Select(c =>
        {
            if (c.Containers is null)
            {
                return c;
            }

            var resources = ReplicaResources.Of(c.Containers, ranges);
            return c with { PerReplica = resources.Requests, PerReplicaLimits = resources.Limits, WithoutLimits = resources.WithoutLimits, WithoutRequests = resources.WithoutRequests, Defaulted = resources.Defaulted };
        }).ToList();
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            Amounts.AddInto(total, component.PerReplica, component.Replicas);
        }

        return this with { Demand = demand with { Components = components, Total = Amounts.Sorted(total) } };
    }

    /// <summary>The node selector of the first component that has one (where its original most likely runs too).</summary>
    public IReadOnlyDictionary<string, string>? HomeSelector() =>
        Demand?.Components.Select(c => c.NodeSelector).FirstOrDefault(s => s.Count > 0);
}

/// <summary>One pod of a replacement: its component, which replica of how many, what it asks a node for (one of its pods included), and where it may go (node selector, tolerations as capacity.json writes them).</summary>
public sealed record PodDemand(string Component, int Replica, int Replicas, Dictionary<string, decimal> Amounts, IReadOnlyDictionary<string, string> NodeSelector, IReadOnlyList<string> Tolerations);
