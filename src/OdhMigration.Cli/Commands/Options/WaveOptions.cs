using System.CommandLine;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>
/// Waves (docs/waves.md): how transform groups the planned InferenceServices into waves (TransformOptions.Problems()
/// checks how they combine), and --wave K / --force-wave on apply, validate and cleanup.
/// </summary>
public static class WaveOptions
{
    public static Option<string?> Waves()
    {
        var option = new Option<string?>("--waves") { Description = "auto: plan waves that each fit the free cluster capacity and namespace quotas recorded in capacity.json (by export)" };
        option.AcceptOnlyFromAmong(WaveModes.Auto);
        return option;
    }

    public static Option<int?> WaveSize() => new("--wave-size") { Description = "Plan waves of at most N InferenceServices (those sharing a runtime stay together); needs no capacity.json" };

    public static Option<string?> WaveOrder() => new Option<string?>("--wave-order")
    {
        Description = "Order waves are filled in: largest (default: most GPU, then memory, then CPU first), plan, or namespace/name,namespace/name,... (those first)",
    }.NotBlank();

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
