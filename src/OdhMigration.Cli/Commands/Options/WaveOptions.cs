using System.CommandLine;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>How transform groups the planned InferenceServices into waves (docs/waves.md); TransformOptions.Problems() checks how they combine.</summary>
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
}
