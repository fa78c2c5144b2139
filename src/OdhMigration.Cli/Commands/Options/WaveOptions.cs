using System.CommandLine;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>--wave K on apply, validate and cleanup (the plan's waves, docs/waves.md), and apply's --force-wave.</summary>
public static class WaveOptions
{
    /// <summary>Only whether K is at least 1 is checked while parsing; K beyond the plan's waves is refused by the stage (exit 2) once it read plan.json.</summary>
    public static Option<int?> Wave() => new Option<int?>("--wave")
    {
        Description = "Act only on the InferenceServices of plan wave K (1-based; default: every wave; pipelineruns passes it to the run's apply, validate and cleanup); refused (exit 2) when K is outside the plan's waves or the plan has none",
    }.AtLeast(1);

    public static Option<bool> ForceWave() => new("--force-wave")
    {
        Description = "With --wave K: apply although an earlier wave that must be cleaned up first (cleanupBeforeNextWave) is not recorded as cleaned in cleanup.json (its replacements may not fit)",
    };
}
