namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>LedgerItem.State in ledger.json and its journal: apply writes it, validate and the next apply read it.</summary>
public static class LedgerItemStates
{
    public const string Pending = "pending";
    public const string InProgress = "in-progress";
    public const string Applied = "applied";
    public const string Failed = "failed";

    /// <summary>in-place: creating the replacement failed and the original was recreated from its backup.</summary>
    public const string RolledBack = "rolled-back";

    /// <summary>in-place: the replacement failed and so did recreating the original; the next run retries both.</summary>
    public const string RollbackFailed = "rollback-failed";
}

/// <summary>LedgerStep.State: a step is recorded as intent before it happens, then done, failed or skipped.</summary>
public static class LedgerStepStates
{
    public const string Intent = "intent";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
