namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>CleanupObject.Outcome in cleanup.json: what cleanup did with one original the plan names.</summary>
public static class CleanupOutcomes
{
    public const string Deleted = "deleted";

    /// <summary>dry run: the object would have been deleted.</summary>
    public const string WouldDelete = "would-delete";

    /// <summary>Already gone when this run looked (a re-run); not counted as deleted.</summary>
    public const string AlreadyGone = "already-gone";
    public const string Kept = "kept";
    public const string Failed = "failed";

    /// <summary>Deleted, but finalizers keep it from going away.</summary>
    public const string Stuck = "stuck";

    /// <summary>Another ISVC of this run names the same object; it is counted there.</summary>
    public const string HandledElsewhere = "handled-elsewhere";
}
