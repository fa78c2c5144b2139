namespace OdhMigration.Core.Common;

/// <summary>
/// A stage's options record lists what is wrong with it (<c>Problems()</c>); the command line and the engine both
/// end a run on that list, so one rule has one place and the same message wherever it is checked.
/// </summary>
public static class UsageProblems
{
    /// <summary>Throws a usage error (exit 2) naming every problem, or returns when there is none.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }
    }
}
