using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Chain;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>
/// The planning stages' own checks (their options records' <c>Problems()</c>), made by the commands that chain them
/// (run, rehearse, the drop-ins) before any cluster or simulator is started.
/// </summary>
internal static class PlanningProblems
{
    public static void ThrowIfAny(PlanningChainOptions options) =>
        UsageProblems.ThrowIfAny([.. options.Discover.Problems(), .. options.Transform.Problems()]);
}
