using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>
/// --waves auto. Each wave must fit what is free when it starts. Side-by-side and new-namespace originals keep running
/// (their holds stay used) unless the wave stops its Serverless originals first, or earlier waves are cleaned up before
/// it; in-place originals are deleted before their replacements are created, so their holds are free for their own
/// wave. A group is added to the open wave when it fits under that wave's terms; otherwise a new wave opens, trying in
/// turn: as is, after cleaning up earlier waves (most recent first; no downtime), then also stopping its originals
/// (downtime). A group that fits no new wave yet is moved behind the others; one that could not fit even with every
/// other original freed is refused with the numbers.
/// </summary>
internal sealed class AutoWaves(CapacityReport capacity, Dictionary<string, int> index)
{
    private const string Stopping = "stopping originals";
    private const string InPlace = "in-place deletion";

    private readonly List<Building> _waves = [];
    private readonly HashSet<string> _freed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refused = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private CapacityLedger _committed = new(capacity);

    public WavePlan Plan(List<WaveGroup> groups)
    {
        var pending = new List<WaveGroup>();
        foreach (var group in groups)
        {
            if (group.Items.FirstOrDefault(i => i.Demand is null) is { } unknown)
            {
                Refuse(group, unknown, "capacity.json records no demand for it; run export again so it does");
            }
            else
            {
                pending.Add(group);
            }
        }

        WarnOnOlderCapacity(pending);
        pending = RefuseNeverFitting(pending);
        Fill(pending);
        var planned = _waves.Select((w, i) => WavePlanner.Wave(i + 1, w.Members, index, w.Ledger.Arithmetic(), w.Stop) with { CleanupBeforeNextWave = w.CleanupBeforeNext }).ToList();
        return new WavePlan(planned, WavePlanner.WaveOf(planned), _refused, _warnings);
    }

    /// <summary>Says where a capacity.json written by an older export makes the check coarser than it should be.</summary>
    private void WarnOnOlderCapacity(List<WaveGroup> groups)
    {
        foreach (var pool in capacity.Cluster.Pools.Where(p => p.PerNode.Count == 0))
        {
            _warnings.Add($"capacity.json records no per-node capacity for pool {pool.Key}: its nodes are counted as one, so a wave may not fit on any single node; run export again");
        }

        var limitQuotas = capacity.Quotas.Where(q => q.Hard.Keys.Any(k => k.StartsWith(Resources.LimitsPrefix, StringComparison.Ordinal))).Select(q => $"{q.Namespace}/{q.Name}").ToHashSet(StringComparer.Ordinal);
        var namespaces = capacity.Quotas.Where(q => limitQuotas.Contains($"{q.Namespace}/{q.Name}")).Select(q => q.Namespace).ToHashSet(StringComparer.Ordinal);
        foreach (var item in groups.SelectMany(g => g.Items).Where(i => namespaces.Contains(i.TargetNamespace) && i.Limits() is null))
        {
            _warnings.Add($"{item.Key}: capacity.json records no limits for it, so the limits.* quotas of {item.TargetNamespace} are not checked; run export again");
        }
    }

    /// <summary>Refuses the groups that do not fit even alone with every other original cleaned up and their own stopped where that is possible.</summary>
    private List<WaveGroup> RefuseNeverFitting(List<WaveGroup> groups)
    {
        var allFreed = _committed.StartTrial();
        foreach (var item in groups.SelectMany(g => g.Items))
        {
            allFreed.Credit(item, "");
        }

        var fitting = new List<WaveGroup>();
        foreach (var group in groups)
        {
            var trial = allFreed.Branch();
            foreach (var item in group.Items.Where(i => !i.FreedInItsWave && !i.CanBeStopped))
            {
                // Its own original keeps running beside its replacement (ModelMesh cannot be stopped).
                trial.Credit(item, "", sign: -1);
            }

            if (TryPlaceAll(trial, group, out var failed, out var shortfall))
            {
                fitting.Add(group);
            }
            else
            {
                Refuse(group, failed!, $"can never fit, even alone with every other original cleaned up{(failed!.CanBeStopped ? " and its own stopped" : "")}: {shortfall}");
            }
        }

        return fitting;
    }

    private void Fill(List<WaveGroup> pending)
    {
        Building? open = null;
        var movedBack = new HashSet<WaveGroup>();
        var stuck = new HashSet<WaveGroup>();
        while (pending.Count > 0)
        {
            var group = pending[0];
            pending.RemoveAt(0);
            if (open is not null && TryJoin(open, group))
            {
                stuck.Clear();
                continue;
            }

            if (open is not null)
            {
                Commit(open);
                open = null;
            }

            if (TryOpen(group, out open, out var failed, out var shortfall))
            {
                stuck.Clear();
                if (movedBack.Contains(group))
                {
                    _warnings.Add($"{group.Describe()}: planned in wave {_waves.Count + 1}, later than its place in the order: it fits only once earlier waves are cleaned up");
                }

                continue;
            }

            if (stuck.Add(group))
            {
                movedBack.Add(group);
                pending.Add(group);
            }
            else
            {
                // Nothing placed since it was moved back: it waits on originals of items that wait on it.
                Refuse(group, failed!, $"fits no wave: it needs originals cleaned up that can only be cleaned up after it: {shortfall}");
            }
        }

        if (open is not null)
        {
            Commit(open);
        }
    }

    private bool TryJoin(Building wave, WaveGroup group)
    {
        var trial = wave.Ledger.Branch();
        FreeOwn(trial, group, wave.Stop);
        if (!TryPlaceAll(trial, group, out _, out _))
        {
            return false;
        }

        wave.Ledger = trial;
        wave.Members.AddRange(group.Items);
        return true;
    }

    private bool TryOpen(WaveGroup group, out Building? wave, out WaveCandidate? failed, out string? shortfall)
    {
        // Bases: as is, then with earlier waves cleaned up one more at a time, most recent first.
        var uncleaned = Enumerable.Range(0, _waves.Count).Reverse().Where(k => !_waves[k].Cleaned).ToList();
        var bases = new List<CapacityLedger> { _committed.StartTrial() };
        foreach (var k in uncleaned)
        {
            var next = bases[^1].Branch();
            foreach (var item in _waves[k].Members.Where(m => !_freed.Contains(m.Key)))
            {
                next.Credit(item, $"cleanup of wave {k + 1}");
            }

            bases.Add(next);
        }

        (failed, shortfall) = (null, null);
        foreach (var stop in new[] { false, true })
        {
            if (stop && !group.Items.Any(i => i.CanBeStopped))
            {
                continue;
            }

            for (var c = 0; c < bases.Count; c++)
            {
                var trial = bases[c].Branch();
                FreeOwn(trial, group, stop);
                if (TryPlaceAll(trial, group, out failed, out shortfall))
                {
                    wave = new Building([.. group.Items], stop, uncleaned.Take(c).ToList(), trial);
                    return true;
                }
            }
        }

        wave = null;
        return false;
    }

    /// <summary>Frees what the group's own originals hold: in-place ones always, stoppable ones when the wave stops its originals.</summary>
    private static void FreeOwn(CapacityLedger trial, WaveGroup group, bool stop)
    {
        foreach (var item in group.Items)
        {
            if (item.FreedInItsWave)
            {
                trial.Credit(item, InPlace);
            }
            else if (stop && item.CanBeStopped)
            {
                trial.Credit(item, Stopping);
            }
        }
    }

    private static bool TryPlaceAll(CapacityLedger trial, WaveGroup group, out WaveCandidate? failed, out string? shortfall)
    {
        foreach (var item in group.Items)
        {
            if (!trial.TryPlace(item, out shortfall))
            {
                failed = item;
                return false;
            }
        }

        (failed, shortfall) = (null, null);
        return true;
    }

    private void Commit(Building wave)
    {
        foreach (var k in wave.CleansUp)
        {
            _waves[k].CleanupBeforeNext = true;
            _waves[k].Cleaned = true;
            _freed.UnionWith(_waves[k].Members.Select(m => m.Key));
        }

        _freed.UnionWith(wave.Members.Where(m => m.FreedInItsWave || (wave.Stop && m.CanBeStopped)).Select(m => m.Key));
        _committed = wave.Ledger;
        _waves.Add(wave);
    }

    private void Refuse(WaveGroup group, WaveCandidate cause, string reason)
    {
        foreach (var item in group.Items)
        {
            _refused[item.Key] = item == cause ? reason : $"shares runtime {item.Runtime} with {cause.Key}, which cannot be planned in a wave: {reason}";
        }
    }

    /// <summary>A wave being filled: its members, whether it stops its originals first, which earlier waves must be cleaned up before it, and its trial ledger.</summary>
    private sealed class Building(List<WaveCandidate> members, bool stop, List<int> cleansUp, CapacityLedger ledger)
    {
        public List<WaveCandidate> Members { get; } = members;

        public bool Stop { get; } = stop;

        public List<int> CleansUp { get; } = cleansUp;

        public CapacityLedger Ledger { get; set; } = ledger;

        public bool CleanupBeforeNext { get; set; }

        public bool Cleaned { get; set; }
    }
}
