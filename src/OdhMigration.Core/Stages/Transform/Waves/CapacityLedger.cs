using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>
/// What is still free, per node pool and per ResourceQuota, as waves are planned one after the other. A trial of a wave
/// works on a copy (<see cref="StartTrial"/>), records what it freed and used per account, and becomes the ledger when
/// the wave is kept.
/// </summary>
/// <remarks>
/// Placement rule (docs/waves.md): a component with a node selector must fit whole in one pool whose labels include the
/// selector; a component without one may spread over all pools (their free capacity summed). Built-in resources
/// (cpu, memory, pods, ...) are checked only where the pools report them; extended resources (nvidia.com/gpu) always,
/// so a GPU model on a cluster without GPUs never fits. What an original holds is credited back to the pool its
/// replacement's node selector names (else to the pool with most of that resource allocatable), and to the quotas
/// of its own namespace.
/// </remarks>
internal sealed class CapacityLedger
{
    private readonly List<Account> _pools;
    private readonly List<Account> _quotas;
    private readonly HashSet<string> _reported;

    public CapacityLedger(CapacityReport capacity)
    {
        _pools = capacity.Cluster.Pools.Select(p => new Account($"pool {p.Key}", null, p.Labels, p.Allocatable, new(p.Free, StringComparer.Ordinal))).ToList();
        _quotas = capacity.Quotas.Select(q => new Account($"quota {q.Namespace}/{q.Name}", q.Namespace, new Dictionary<string, string>(), q.Hard, new(q.Free, StringComparer.Ordinal))).ToList();
        _reported = capacity.Cluster.Pools.SelectMany(p => p.Allocatable.Keys.Concat(p.Free.Keys)).ToHashSet(StringComparer.Ordinal);
    }

    private CapacityLedger(List<Account> pools, List<Account> quotas, HashSet<string> reported) => (_pools, _quotas, _reported) = (pools, quotas, reported);

    /// <summary>A copy to try a wave on; its credits and debits start empty.</summary>
    public CapacityLedger StartTrial() => new(_pools.Select(a => a.Copy(keepTrial: false)).ToList(), _quotas.Select(a => a.Copy(keepTrial: false)).ToList(), _reported);

    /// <summary>A copy that carries on the current trial (to try adding one more group to a wave).</summary>
    public CapacityLedger Branch() => new(_pools.Select(a => a.Copy(keepTrial: true)).ToList(), _quotas.Select(a => a.Copy(keepTrial: true)).ToList(), _reported);

    /// <summary>Frees what <paramref name="item"/>'s original holds (sign -1 takes it back: used to say an original cannot be freed).</summary>
    public void Credit(WaveCandidate item, string why, int sign = 1)
    {
        if (item.Holds.Count == 0)
        {
            return;
        }

        var home = item.HomeSelector() is { } selector ? _pools.FirstOrDefault(p => Matches(p, selector)) : null;
        foreach (var (resource, amount) in item.Holds)
        {
            var pool = home is not null && home.Limit.ContainsKey(resource) ? home : _pools.Where(p => p.Limit.ContainsKey(resource)).MaxBy(p => p.Limit[resource]);
            pool?.Change(resource, sign * amount, why);
        }

        foreach (var quota in _quotas.Where(q => q.Namespace == item.Namespace))
        {
            foreach (var (key, amount) in Resources.QuotaUsage(item.Holds).Where(u => quota.Limit.ContainsKey(u.Key)))
            {
                quota.Change(key, sign * amount, why);
            }
        }
    }

    /// <summary>Uses what <paramref name="item"/>'s replacement requests; false with the first shortfall when it does not fit.</summary>
    public bool TryPlace(WaveCandidate item, out string? shortfall)
    {
        foreach (var (amounts, selector) in item.Placements())
        {
            shortfall = selector.Count > 0 ? PlaceInOnePool(amounts, selector) : PlaceAnywhere(amounts);
            if (shortfall is not null)
            {
                return false;
            }
        }

        var usage = Resources.QuotaUsage(item.Requests());
        foreach (var quota in _quotas.Where(q => q.Namespace == item.TargetNamespace))
        {
            foreach (var (key, amount) in usage.Where(u => quota.Limit.ContainsKey(u.Key)).OrderBy(u => Resources.Rank(u.Key.Replace("requests.", "", StringComparison.Ordinal))))
            {
                if (quota.Free(key) < amount)
                {
                    shortfall = $"needs {key} {Resources.Format(key, amount)}, at most {Resources.Format(key, quota.Free(key))} free under {quota.Label}";
                    return false;
                }

                quota.Use(key, amount);
            }
        }

        shortfall = null;
        return true;
    }

    /// <summary>Per account and resource the wave used: "free X (pool P) + Y freed by ... - wave Z = R".</summary>
    public List<string> Arithmetic() =>
        _pools.Concat(_quotas).SelectMany(a => a.Lines()).ToList();

    private string? PlaceInOnePool(Dictionary<string, decimal> amounts, IReadOnlyDictionary<string, string> selector)
    {
        var matching = _pools.Where(p => Matches(p, selector)).ToList();
        if (matching.Count == 0)
        {
            return $"no node pool matches its node selector {string.Join(",", selector.Select(s => $"{s.Key}={s.Value}"))}";
        }

        var needed = Checked(amounts).ToList();
        var fits = matching.FirstOrDefault(p => needed.All(n => p.Free(n.Key) >= n.Value));
        if (fits is null)
        {
            // The scarcest resource no matching pool has enough of; else (each fits somewhere, not all in one) the best pool's first shortfall.
            var (resource, amount) = needed.FirstOrDefault(n => matching.All(p => p.Free(n.Key) < n.Value));
            if (resource is null)
            {
                var first = needed[0].Key;
                (resource, amount) = needed.First(n => matching.MaxBy(p => p.Free(first))!.Free(n.Key) < n.Value);
            }

            var best = matching.MaxBy(p => p.Free(resource))!;
            return $"needs {resource} {Resources.Format(resource, amount)}, at most {Resources.Format(resource, best.Free(resource))} free in {best.Label}";
        }

        foreach (var (resource, amount) in needed)
        {
            fits.Use(resource, amount);
        }

        return null;
    }

    private string? PlaceAnywhere(Dictionary<string, decimal> amounts)
    {
        var needed = Checked(amounts).ToList();
        foreach (var (resource, amount) in needed)
        {
            var total = _pools.Sum(p => p.Free(resource));
            if (total < amount)
            {
                return $"needs {resource} {Resources.Format(resource, amount)}, at most {Resources.Format(resource, total)} free in all {_pools.Count} node pool(s) together";
            }
        }

        foreach (var (resource, amount) in needed)
        {
            var left = amount;
            foreach (var pool in _pools.OrderByDescending(p => p.Free(resource)).TakeWhile(_ => left > 0))
            {
                var take = Math.Min(left, pool.Free(resource));
                pool.Use(resource, take);
                left -= take;
            }
        }

        return null;
    }

    /// <summary>The amounts checked against pools, scarcest first: extended resources always, built-in ones where the pools report them.</summary>
    private IEnumerable<KeyValuePair<string, decimal>> Checked(Dictionary<string, decimal> amounts) =>
        amounts.Where(a => a.Value > 0 && (Resources.IsExtended(a.Key) || _reported.Contains(a.Key)))
            .OrderBy(a => Resources.Rank(a.Key)).ThenBy(a => a.Key, StringComparer.Ordinal);

    private static bool Matches(Account pool, IReadOnlyDictionary<string, string> selector) =>
        selector.All(s => pool.Labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>One pool or quota: its limit (allocatable or hard), what is free now, and what the current trial freed and used.</summary>
    private sealed class Account(string label, string? ns, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, decimal> limit, Dictionary<string, decimal> free)
    {
        private readonly Dictionary<string, decimal> _start = new(free, StringComparer.Ordinal);
        private readonly Dictionary<string, List<(string Why, decimal Amount)>> _credits = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _used = new(StringComparer.Ordinal);

        public string Label => label;

        public string? Namespace => ns;

        public IReadOnlyDictionary<string, string> Labels => labels;

        public IReadOnlyDictionary<string, decimal> Limit => limit;

        public decimal Free(string resource) => free.GetValueOrDefault(resource);

        public Account Copy(bool keepTrial)
        {
            var copy = new Account(label, ns, labels, limit, new Dictionary<string, decimal>(free, StringComparer.Ordinal));
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
            // A quota's free can never exceed its hard limit, whatever an estimate of what an original holds says.
            free[resource] = limit.TryGetValue(resource, out var max) ? Math.Min(Math.Max(now, 0), max) : Math.Max(now, 0);
            var list = _credits.TryGetValue(resource, out var existing) ? existing : _credits[resource] = [];
            list.Add((why, free[resource] - (now - amount)));
        }

        public void Use(string resource, decimal amount)
        {
            free[resource] = Free(resource) - amount;
            _used[resource] = _used.GetValueOrDefault(resource) + amount;
        }

        public IEnumerable<string> Lines()
        {
            foreach (var (resource, used) in _used.Where(u => u.Value > 0).OrderBy(u => Resources.Rank(u.Key)).ThenBy(u => u.Key, StringComparer.Ordinal))
            {
                var credits = _credits.GetValueOrDefault(resource) ?? [];
                var freed = string.Concat(credits.GroupBy(c => c.Why, StringComparer.Ordinal).Where(g => g.Sum(c => c.Amount) > 0)
                    .Select(g => $" + {Resources.Format(resource, g.Sum(c => c.Amount))} freed by {g.Key}"));
                yield return $"{resource}: free {Resources.Format(resource, _start.GetValueOrDefault(resource))} ({label}){freed} - wave {Resources.Format(resource, used)} = {Resources.Format(resource, Free(resource))}";
            }
        }
    }
}
