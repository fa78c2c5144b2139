namespace OdhMigration.Core.Common;

/// <summary>
/// What a stage run produced: its exit code, a one-line summary, and small key/value results
/// (Tekton-style result files: counts, verdict, artifact sha256).
/// </summary>
public sealed record StageOutcome(int ExitCode, string Summary, IReadOnlyDictionary<string, string> Results)
{
    public static int ExitFor(int failed, int total) => failed == 0 ? ExitCodes.Success : ExitCodes.PartialFailure;
}
