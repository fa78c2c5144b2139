using System.Globalization;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>How to plan waves: <see cref="WaveModes"/>, the size for <see cref="WaveModes.Size"/>, and the order.</summary>
public sealed record WaveSettings(string Mode, int? Size, WaveOrder Order);

/// <summary>The waves, which wave each InferenceService is in, and the ones refused (with the numbers) because they can never fit.</summary>
public sealed record WavePlan(List<PlanWave> Waves, Dictionary<string, int> WaveOf, Dictionary<string, string> Refused, List<string> Warnings);

/// <summary>
/// The pure wave planner (docs/waves.md): planned InferenceServices, what they request and what is free in, waves out.
/// Items sharing a runtime stay in one wave; waves are filled one after the other in the chosen order.
/// </summary>
public static class WavePlanner
{
    /// <param name="items">The ok plan items, in plan order.</param>
    /// <param name="capacity">capacity.json; required (with a readable cluster) for <see cref="WaveModes.Auto"/>, optional for <see cref="WaveModes.Size"/> (then waves show their demand).</param>
    public static WavePlan Plan(IReadOnlyList<WaveCandidate> items, WaveSettings settings, CapacityReport? capacity)
    {
        // Admission fills a LimitRange's defaults into the replacement's containers before quota and scheduler count them.
        var candidates = items.Select(i => i.WithLimitRanges(capacity?.LimitRanges ?? [])).ToList();
        var groups = WaveGroup.Ordered(candidates, settings.Order);
        var index = candidates.Select((item, i) => (item.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        if (settings.Mode == WaveModes.Size)
        {
            return BySize(groups, settings.Size ?? 1, index);
        }

        ArgumentNullException.ThrowIfNull(capacity);
        return new AutoWaves(capacity, index).Plan(groups);
    }

    private static WavePlan BySize(List<WaveGroup> groups, int size, Dictionary<string, int> index)
    {
        var warnings = new List<string>();
        var waves = new List<List<WaveCandidate>>();
        var current = new List<WaveCandidate>();
        foreach (var group in groups)
        {
            if (current.Count > 0 && current.Count + group.Items.Count > size)
            {
                waves.Add(current);
                current = [];
            }

            if (group.Items.Count > size)
            {
                warnings.Add($"{group.Describe()}: {group.Items.Count} InferenceServices share a runtime, more than --wave-size {size}; they form one wave of their own");
            }

            current.AddRange(group.Items);
        }

        if (current.Count > 0)
        {
            waves.Add(current);
        }

        var planned = waves.Select((members, i) => Wave(i + 1, members, index, [$"InferenceServices: {members.Count.ToString(CultureInfo.InvariantCulture)} (--wave-size {size.ToString(CultureInfo.InvariantCulture)}; capacity not checked)"])).ToList();
        return new WavePlan(planned, WaveOf(planned), [], warnings);
    }

    internal static PlanWave Wave(int number, IEnumerable<WaveCandidate> members, Dictionary<string, int> index, List<string> arithmetic, bool stopFirst = false) => new()
    {
        Number = number,
        Items = members.OrderBy(m => index[m.Key]).Select(m => m.Key).ToList(),
        Demand = Resources.Sum(members.Select(m => m.Requests())).OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        StopOriginalsFirst = stopFirst,
        Arithmetic = arithmetic,
    };

    internal static Dictionary<string, int> WaveOf(IEnumerable<PlanWave> waves) =>
        waves.SelectMany(w => w.Items.Select(i => (i, w.Number))).ToDictionary(p => p.i, p => p.Number, StringComparer.Ordinal);
}
