using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// The body of a stage whose engine is not in this build: it refuses (exit 3) rather than pretend, so no pipeline
/// ever reads success from an action that did not happen.
/// </summary>
internal static class NotYetAvailable
{
    public static Task<StageOutcome> Refuse(string stage) =>
        throw new PreconditionException($"odh-{stage}: this stage's engine is not available in this build; nothing was done");
}
