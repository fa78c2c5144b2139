using System.Globalization;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// Which plan items a stage acts on for --wave K (apply, validate and cleanup share this rule): every item when no wave
/// is given, else only the items of wave K. A wave on a plan without waves, or outside 1..waves, is a usage error
/// (exit 2) before anything is read from or written to the cluster.
/// </summary>
public sealed record WaveSelection(int? Number, int Count, PlanWave? Wave)
{
    public const string NoWavesProblem = "plan has no waves; run transform --waves auto or --wave-size N";

    /// <summary>Every item of the plan (no --wave).</summary>
    public static WaveSelection All(Plan plan) => new(null, plan.Waves?.Count ?? 0, null);

    /// <summary>The selection for --wave <paramref name="wave"/> (null: all items).</summary>
    public static WaveSelection Resolve(Plan plan, int? wave)
    {
        if (wave is not { } number)
        {
            return All(plan);
        }

        if (plan.Waves is not { Count: > 0 } waves)
        {
            throw new UsageException($"--wave {number.ToString(CultureInfo.InvariantCulture)}: {NoWavesProblem}");
        }

        var planned = waves.FirstOrDefault(w => w.Number == number);
        if (planned is null)
        {
            throw new UsageException($"--wave {number.ToString(CultureInfo.InvariantCulture)}: the plan has waves 1..{waves.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        return new WaveSelection(number, waves.Count, planned);
    }

    /// <summary>The wave an item belongs to: its own Wave, else the wave that lists it; null in a plan without waves.</summary>
    public static int? WaveOf(Plan plan, PlanItem item) =>
        item.Wave ?? plan.Waves?.FirstOrDefault(w => w.Items.Contains($"{item.Namespace}/{item.Name}", StringComparer.Ordinal))?.Number;

    public bool Includes(Plan plan, PlanItem item) => Number is null || WaveOf(plan, item) == Number;

    /// <summary>"wave 2 of 3: " for summaries and gate output; empty without --wave.</summary>
    public string Prefix => Number is { } n ? $"wave {n.ToString(CultureInfo.InvariantCulture)} of {Count.ToString(CultureInfo.InvariantCulture)}: " : "";
}
