using OdhMigration.Core.Capacity;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>
/// What is still free, per node (grouped in its pool) and per ResourceQuota, as waves are planned one after the other.
/// A trial of a wave works on a copy (<see cref="StartTrial"/>), records what it freed and used per account, and
/// becomes the ledger when the wave is kept.
/// </summary>
/// <remarks>
/// Placement rule (docs/waves.md): every pod of a replacement (each replica of each component) must land on one node,
/// as the scheduler places pods: first-fit over the eligible nodes in name order, the item's biggest pods first, the
/// node's free amounts counted down as pods are placed. Eligible nodes are those of the pools whose labels include the
/// component's node selector (every node without one) and whose NoSchedule/NoExecute taints its tolerations all
/// tolerate, as kube-scheduler's NodeAffinity and TaintToleration filters decide. Built-in resources (cpu, memory, pods, ...) are checked only
/// where the nodes report them; extended resources (nvidia.com/gpu) always, so a GPU model on a cluster without GPUs
/// never fits. What an original holds is credited back to the nodes its pods run on (capacity.json's
/// originalHoldsPerNode; without it, to the node with most of that resource allocatable in the pool its replacement's
/// node selector names), and to the quotas of its own namespace. A pool recorded without per-node capacity (an older
/// capacity.json) counts as one node holding the pool's sums.
/// </remarks>
internal sealed class CapacityLedger
{
    private readonly List<Pool> _pools;
    private readonly List<Account> _quotas;
    private readonly HashSet<string> _reported;
    private readonly List<string> _placements;

    public CapacityLedger(CapacityReport capacity)
    {
        _pools = capacity.Cluster.Pools.Select(p => new Pool($"pool {p.Key}", p.Labels, p.Taints, p.PerNode.Count > 0
            ? p.PerNode.Select(n => new Account($"node {n.Name}", null, NodeLabels(p, n), n.Allocatable, new(n.Free, StringComparer.Ordinal)) { Node = n.Name }).ToList()
            : [new Account($"pool {p.Key}", null, p.Labels, p.Allocatable, new(p.Free, StringComparer.Ordinal))])).ToList();
        _quotas = capacity.Quotas.Select(q => new Account($"quota {q.Namespace}/{q.Name}", q.Namespace, new Dictionary<string, string>(), q.Hard, new(q.Free, StringComparer.Ordinal))).ToList();
        _reported = capacity.Cluster.Pools.SelectMany(p => p.Allocatable.Keys.Concat(p.Free.Keys)).ToHashSet(StringComparer.Ordinal);
        _placements = [];
    }

    private CapacityLedger(List<Pool> pools, List<Account> quotas, HashSet<string> reported, List<string> placements) =>
        (_pools, _quotas, _reported, _placements) = (pools, quotas, reported, placements);

    /// <summary>A copy to try a wave on; its credits, debits and placements start empty.</summary>
    public CapacityLedger StartTrial() => new(_pools.Select(p => p.Copy(keepTrial: false)).ToList(), _quotas.Select(a => a.Copy(keepTrial: false)).ToList(), _reported, []);

    /// <summary>A copy that carries on the current trial (to try adding one more group to a wave).</summary>
    public CapacityLedger Branch() => new(_pools.Select(p => p.Copy(keepTrial: true)).ToList(), _quotas.Select(a => a.Copy(keepTrial: true)).ToList(), _reported, [.. _placements]);

    private IEnumerable<Account> Nodes => _pools.SelectMany(p => p.Nodes);

    /// <summary>Frees what <paramref name="item"/>'s original holds (sign -1 takes it back: used to say an original cannot be freed).</summary>
    public void Credit(WaveCandidate item, string why, int sign = 1)
    {
        if (item.Holds.Count == 0)
        {
            return;
        }

        if (item.HoldsPerNode.Count > 0)
        {
            // A node the ledger does not know (cordoned, unreadable) frees nothing schedulable.
            var perNode = item.HoldsPerNode.Select(h => (Node: Nodes.FirstOrDefault(n => n.Node == h.Key), Amounts: h.Value)).Where(h => h.Node is not null);
            foreach (var (node, amounts) in perNode)
            {
                foreach (var (resource, amount) in amounts.Where(a => node!.Limit.ContainsKey(a.Key)))
                {
                    node!.Change(resource, sign * amount, why);
                }
            }
        }
        else
        {
            // Where its pods run is not recorded: the node of its home pool (else of all) with most of the resource.
            var home = item.HomeSelector() is { } selector ? _pools.FirstOrDefault(p => p.Nodes.Any(n => Matches(n, selector))) : null;
            foreach (var (resource, amount) in item.Holds)
            {
                var node = (home?.Nodes.Any(n => n.Limit.ContainsKey(resource)) == true ? home.Nodes : Nodes)
                    .Where(n => n.Limit.ContainsKey(resource)).MaxBy(n => n.Limit[resource]);
                node?.Change(resource, sign * amount, why);
            }
        }

        foreach (var quota in _quotas.Where(q => q.Namespace == item.Namespace))
        {
            foreach (var (key, amount) in Resources.QuotaUsage(item.Holds, item.HoldsLimits).Where(u => quota.Limit.ContainsKey(u.Key)))
            {
                quota.Change(key, sign * amount, why);
            }
        }
    }

    /// <summary>Places every pod of <paramref name="item"/>'s replacement on a node and uses its quotas; false with the first shortfall when it does not fit.</summary>
    public bool TryPlace(WaveCandidate item, out string? shortfall)
    {
        var placed = new List<(PodDemand Pod, Account Node)>();
        foreach (var pod in item.Pods())
        {
            shortfall = PlaceOnNode(pod, out var node);
            if (shortfall is not null)
            {
                return false;
            }

            placed.Add((pod, node!));
        }

        shortfall = QuotaShortfall(item);
        if (shortfall is not null)
        {
            return false;
        }

        foreach (var component in placed.GroupBy(p => p.Pod.Component, StringComparer.Ordinal))
        {
            var first = component.First().Pod;
            var nodes = component.GroupBy(p => p.Node.Label, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}");
            _placements.Add($"{item.Key} {component.Key}: {first.Replicas} pod(s) of {Describe(first.Amounts)} on {string.Join(", ", nodes)}");
        }

        foreach (var component in item.Demand?.Components.Where(c => c.Defaulted.Count > 0) ?? [])
        {
            _placements.Add($"{item.Key} {component.Component}: {string.Join("; ", component.Defaulted)}");
        }

        return true;
    }

    /// <summary>
    /// Per pool, node and quota the resources the wave used: "free X (pool P) + Y freed by ... - wave Z = R" (a pool's
    /// line sums its nodes; a line per node where the pool has several), then where each component's pods go.
    /// </summary>
    public List<string> Arithmetic()
    {
        var lines = new List<string>();
        foreach (var pool in _pools)
        {
            lines.AddRange(Account.Lines(pool.Label, pool.Nodes));
            if (pool.Nodes.Count > 1)
            {
                lines.AddRange(pool.Nodes.SelectMany(n => Account.Lines($"{n.Label}, {pool.Label}", [n])));
            }
        }

        lines.AddRange(_quotas.SelectMany(q => Account.Lines(q.Label, [q])));
        lines.AddRange(_placements);
        return lines;
    }

    /// <summary>First fit: the first eligible node (name order) with room for all the pod asks; null, or why no node has.</summary>
    private string? PlaceOnNode(PodDemand pod, out Account? node)
    {
        node = null;
        // kube-scheduler's filters before NodeResourcesFit: NodeAffinity (the node selector against the node's labels)
        // and TaintToleration (every NoSchedule/NoExecute taint of the node tolerated), per node.
        var selected = _pools.Select(p => p with { Nodes = p.Nodes.Where(n => Matches(n, pod.NodeSelector)).ToList() }).Where(p => p.Nodes.Count > 0).ToList();
        if (selected.Count == 0)
        {
            return $"no node pool matches its node selector {string.Join(",", pod.NodeSelector.Select(s => $"{s.Key}={s.Value}"))}";
        }

        var pools = selected.Where(p => Tolerations.FirstUntolerated(p.Taints, pod.Tolerations) is null).ToList();
        if (pools.Count == 0)
        {
            var taints = selected.Select(p => $"{p.Label} ({string.Join(", ", p.Taints)})");
            return $"{pod.Component} pod {pod.Replica} of {pod.Replicas}: no node tolerates it: every node {(pod.NodeSelector.Count > 0 ? "its node selector matches " : "")}has a taint its tolerations ({(pod.Tolerations.Count > 0 ? string.Join(", ", pod.Tolerations) : "none")}) do not tolerate: {string.Join("; ", taints)}";
        }

        var nodes = pools.SelectMany(p => p.Nodes).OrderBy(n => n.Label, StringComparer.Ordinal).ToList();
        var needed = Checked(pod.Amounts).ToList();
        node = nodes.FirstOrDefault(n => needed.All(x => n.Free(x.Key) >= x.Value));
        if (node is not null)
        {
            foreach (var (name, value) in needed)
            {
                node.Use(name, value);
            }

            return null;
        }

        // The scarcest resource no node has enough of; else (each fits on some node, not all on one) the best node's first shortfall.
        var (resource, amount) = needed.FirstOrDefault(n => nodes.All(x => x.Free(n.Key) < n.Value));
        if (resource is null)
        {
            var first = needed[0].Key;
            (resource, amount) = needed.First(n => nodes.MaxBy(x => x.Free(first))!.Free(n.Key) < n.Value);
        }

        var best = nodes.MaxBy(n => n.Free(resource))!;
        var where = pools.Count == 1 ? pools[0].Label : $"pools {string.Join(", ", pools.Select(p => p.Label["pool ".Length..]))}";
        var perNode = nodes.Count > 1
            ? $" on any one node ({string.Join(", ", nodes.OrderByDescending(n => n.Free(resource)).Take(4).Select(n => $"{n.Node ?? n.Label} {Resources.Format(resource, n.Free(resource))}"))}{(nodes.Count > 4 ? ", ..." : "")}; {Resources.Format(resource, nodes.Sum(n => n.Free(resource)))} free in all)"
            : "";
        var largest = nodes.MaxBy(n => n.Limit.GetValueOrDefault(resource))!;
        var never = largest.Limit.GetValueOrDefault(resource) < amount
            ? $"; no node can ever hold it: the largest allocatable is {Resources.Format(resource, largest.Limit.GetValueOrDefault(resource))} ({largest.Label})"
            : "";
        return $"{pod.Component} pod {pod.Replica} of {pod.Replicas} needs {resource} {Resources.Format(resource, amount)}, at most {Resources.Format(resource, best.Free(resource))} free in {where}{perNode}{never}";
    }

    /// <summary>The quotas of the replacement's namespace: the containers they require values of (after its LimitRange defaults), then the amounts; null when every quota holds it.</summary>
    private string? QuotaShortfall(WaveCandidate item)
    {
        var quotas = _quotas.Where(q => q.Namespace == item.TargetNamespace).ToList();
        foreach (var quota in quotas)
        {
            if (QuotaConstraint(item, quota) is { } refused)
            {
                return refused;
            }
        }

        var usage = Resources.QuotaUsage(item.Requests(), item.Limits());
        foreach (var quota in quotas)
        {
            foreach (var (key, amount) in usage.Where(u => quota.Limit.ContainsKey(u.Key)).OrderBy(u => Resources.Rank(u.Key)).ThenBy(u => u.Key, StringComparer.Ordinal))
            {
                if (quota.Free(key) < amount)
                {
                    return $"needs {key} {Resources.Format(key, amount)}, at most {Resources.Format(key, quota.Free(key))} free under {quota.Label}{Injected(item, key)}";
                }

                quota.Use(key, amount);
            }
        }

        return null;
    }

    /// <summary>What KServe injects into the pod that counts under <paramref name="key"/> (the storage-initializer's 24Gi memory limit in ODH 2.x), so a refusal says where an amount the ISVC does not state comes from.</summary>
    private static string Injected(WaveCandidate item, string key)
    {
        var containers = item.Demand?.Components.SelectMany(c => c.Containers ?? []) ?? [];
        var parts = StorageInitializer.Describe(containers, Resources.Unprefixed(key), key.StartsWith(Resources.LimitsPrefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        return parts.Count == 0 ? "" : $" (each pod counts {string.Join(", ", parts)}: a pod counts its largest init container or the sum of its containers, whichever is more)";
    }

    /// <summary>
    /// A quota on cpu or memory makes every container state it (kubernetes pkg/quota/v1/evaluator/core/pods.go,
    /// Constraints): under cpu/requests.cpu a request (or a limit, which the API defaults the request from), under
    /// limits.cpu a limit; the pod is refused otherwise.
    /// </summary>
    private static string? QuotaConstraint(WaveCandidate item, Account quota)
    {
        foreach (var key in quota.Limit.Keys.Order(StringComparer.Ordinal))
        {
            var resource = Resources.Unprefixed(key);
            if (resource is not (Resources.Cpu or Resources.Memory))
            {
                continue;
            }

            var limits = key.StartsWith(Resources.LimitsPrefix, StringComparison.Ordinal);
            var missing = (item.Demand?.Components ?? [])
                .Select(c => (c.Component, Containers: (limits ? c.WithoutLimits : c.WithoutRequests).GetValueOrDefault(resource) ?? []))
                .Where(c => c.Containers.Count > 0)
                .Select(c => $"{c.Component} container(s) {string.Join(", ", c.Containers)}").ToList();
            if (missing.Count > 0)
            {
                return $"{quota.Label} sets {key}, so Kubernetes refuses a pod whose containers state no {resource} {(limits ? "limit" : "request or limit")}: {string.Join("; ", missing)} (set resources.{(limits ? "limits" : "requests")}.{resource}, or give {item.TargetNamespace} a LimitRange default for it and run export again)";
            }
        }

        return null;
    }

    /// <summary>The amounts checked against nodes, scarcest first: extended resources always, built-in ones where the nodes report them.</summary>
    private IEnumerable<KeyValuePair<string, decimal>> Checked(Dictionary<string, decimal> amounts) =>
        amounts.Where(a => a.Value > 0 && (Resources.IsExtended(a.Key) || _reported.Contains(a.Key)))
            .OrderBy(a => Resources.Rank(a.Key)).ThenBy(a => a.Key, StringComparer.Ordinal);

    private static string Describe(Dictionary<string, decimal> amounts) =>
        string.Join(", ", amounts.Where(a => a.Key != Resources.Pods && a.Value > 0).OrderBy(a => Resources.Rank(a.Key)).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key} {Resources.Format(a.Key, a.Value)}")) is { Length: > 0 } text ? text : "no requests";

    private static bool Matches(Account node, IReadOnlyDictionary<string, string> selector) =>
        selector.All(s => node.Labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>The labels a node is matched by: the pool's (GPU product) and the node's own that capacity.json recorded (those some node selector names).</summary>
    private static Dictionary<string, string> NodeLabels(CapacityPool pool, NodeCapacity node)
    {
        var labels = new Dictionary<string, string>(pool.Labels, StringComparer.Ordinal);
        foreach (var (key, value) in node.Labels ?? [])
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>A node pool: its label ("pool a100"), the labels its nodes share, the NoSchedule/NoExecute taints they carry, and its nodes' accounts.</summary>
    private sealed record Pool(string Label, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Taints, List<Account> Nodes)
    {
        public Pool Copy(bool keepTrial) => this with { Nodes = Nodes.Select(n => n.Copy(keepTrial)).ToList() };
    }

    /// <summary>One node or quota: its limit (allocatable or hard), what is free now, and what the current trial freed and used.</summary>
    private sealed class Account(string label, string? ns, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, decimal> limit, Dictionary<string, decimal> free)
    {
        private readonly Dictionary<string, decimal> _start = new(free, StringComparer.Ordinal);
        private readonly Dictionary<string, List<(string Why, decimal Amount)>> _credits = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _used = new(StringComparer.Ordinal);

        public string Label => label;

        public string? Namespace => ns;

        /// <summary>The node's name; null for a quota, and for a pool recorded without its nodes.</summary>
        public string? Node { get; init; }

        public IReadOnlyDictionary<string, string> Labels => labels;

        public IReadOnlyDictionary<string, decimal> Limit => limit;

        public decimal Free(string resource) => free.GetValueOrDefault(resource);

        public Account Copy(bool keepTrial)
        {
            var copy = new Account(label, ns, labels, limit, new Dictionary<string, decimal>(free, StringComparer.Ordinal)) { Node = Node };
            if (keepTrial)
            {
                copy._start.Clear();
                foreach (var (resource, amount) in _start)
                {
                    copy._start[resource] = amount;
                }

                foreach (var (resource, list) in _credits)
                {
                    copy._credits[resource] = [.. list];
                }

                foreach (var (resource, amount) in _used)
                {
                    copy._used[resource] = amount;
                }
            }

            return copy;
        }

        public void Change(string resource, decimal amount, string why)
        {
            var now = Free(resource) + amount;
            // Free can never exceed the node's allocatable or the quota's hard limit, whatever an estimate of what an original holds says.
            free[resource] = limit.TryGetValue(resource, out var max) ? Math.Min(Math.Max(now, 0), max) : Math.Max(now, 0);
            var list = _credits.TryGetValue(resource, out var existing) ? existing : _credits[resource] = [];
            list.Add((why, free[resource] - (now - amount)));
        }

        public void Use(string resource, decimal amount)
        {
            free[resource] = Free(resource) - amount;
            _used[resource] = _used.GetValueOrDefault(resource) + amount;
        }

        /// <summary>Per resource the accounts used: what was free at the start, what was freed and why, what the wave used, what is left (summed over the accounts).</summary>
        public static IEnumerable<string> Lines(string label, IReadOnlyList<Account> accounts)
        {
            var used = accounts.SelectMany(a => a._used).GroupBy(u => u.Key, StringComparer.Ordinal)
                .Select(g => (Resource: g.Key, Amount: g.Sum(u => u.Value))).Where(u => u.Amount > 0)
                .OrderBy(u => Resources.Rank(u.Resource)).ThenBy(u => u.Resource, StringComparer.Ordinal);
            foreach (var (resource, amount) in used)
            {
                var credits = accounts.SelectMany(a => a._credits.GetValueOrDefault(resource) ?? []);
                var freed = string.Concat(credits.GroupBy(c => c.Why, StringComparer.Ordinal).Where(g => g.Sum(c => c.Amount) > 0)
                    .Select(g => $" + {Resources.Format(resource, g.Sum(c => c.Amount))} freed by {g.Key}"));
                var start = accounts.Sum(a => a._start.GetValueOrDefault(resource));
                yield return $"{resource}: free {Resources.Format(resource, start)} ({label}){freed} - wave {Resources.Format(resource, amount)} = {Resources.Format(resource, accounts.Sum(a => a.Free(resource)))}";
            }
        }
    }
}
