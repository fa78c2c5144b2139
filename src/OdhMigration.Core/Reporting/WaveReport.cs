using System.Globalization;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Reporting;

/// <summary>The report's "Waves" section: per wave its InferenceServices, what they request, its flags and the arithmetic that shows it fits.</summary>
public static class WaveReport
{
    public static void Add(Plan? plan, List<ReportBlock> blocks)
    {
        if (plan?.Waves is not { Count: > 0 } waves)
        {
            return;
        }

        blocks.Add(new HeadingBlock(2, "Waves", "waves"));
        blocks.Add(new ParagraphBlock($"Planned as {Mode(plan.Options)}: {waves.Count} wave(s). apply, validate and cleanup take --wave K; see docs/waves.md."));
        var rows = waves.Select(w => (IReadOnlyList<string>)
        [
            w.Number.ToString(CultureInfo.InvariantCulture),
            string.Join(", ", w.Items),
            Amounts(w.Demand),
            w.StopOriginalsFirst ? "yes" : "no",
            w.CleanupBeforeNextWave ? "yes" : "no",
        ]).ToList();
        blocks.Add(new TableBlock(["Wave", "InferenceServices", "Requests", "Stop originals first", "Clean up before next wave"], rows));
        foreach (var wave in waves.Where(w => w.Arithmetic.Count > 0))
        {
            blocks.Add(new HeadingBlock(3, $"Wave {wave.Number.ToString(CultureInfo.InvariantCulture)}: arithmetic"));
            blocks.Add(new ListBlock(wave.Arithmetic));
        }
    }

    /// <summary>One line for the gate text: how many waves and which flags, the arithmetic stays in the report.</summary>
    public static string? GateLine(Plan plan)
    {
        if (plan.Waves is not { Count: > 0 } waves)
        {
            return null;
        }

        var parts = waves.Select(w => $"wave {w.Number.ToString(CultureInfo.InvariantCulture)}: {w.Items.Count.ToString(CultureInfo.InvariantCulture)} ISVC(s){(w.StopOriginalsFirst ? ", stops originals first" : "")}{(w.CleanupBeforeNextWave ? ", clean up before next" : "")}");
        return $"{waves.Count.ToString(CultureInfo.InvariantCulture)} waves ({Mode(plan.Options)}): {string.Join("; ", parts)}";
    }

    private static string Mode(PlanOptions options) =>
        options.WaveSize is { } size ? $"--wave-size {size.ToString(CultureInfo.InvariantCulture)}" : $"--waves {options.Waves}";

    private static string Amounts(Dictionary<string, decimal> amounts) =>
        amounts.Count == 0 ? "-" : string.Join(", ", amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value.ToString(CultureInfo.InvariantCulture)}"));
}
