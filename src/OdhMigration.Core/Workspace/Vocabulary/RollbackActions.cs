namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>RollbackStep.Action in rollback-plan.json: what one rollback step does.</summary>
public static class RollbackActions
{
    public const string DeleteReplacement = "delete-replacement";
    public const string RecreateOriginal = "recreate-original";
    public const string RestoreLabel = "restore-label";
    public const string RestoreCluster = "restore-cluster";
    public const string SetOwner = "set-owner";

    /// <summary>An original apply stopped (serving.kserve.io/stop) and cleanup left: the annotation back to its exported value.</summary>
    public const string ResumeOriginal = "resume-original";
}

/// <summary>RollbackStepOutcome.Outcome and RollbackItemOutcome.Status in rollback.json.</summary>
public static class RollbackOutcomes
{
    public const string Done = "done";
    public const string AlreadyDone = "already-done";

    /// <summary>Not touched: not the object the ledger recorded, or changed by someone since (see Reason).</summary>
    public const string Left = "left";
    public const string Failed = "failed";
    public const string Planned = "planned";
    public const string RolledBack = "rolled-back";
    public const string Refused = "refused";
}
