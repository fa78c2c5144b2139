namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>LedgerStep.Action in ledger.json: what a step did to the cluster (apply writes, resume and rollback read).</summary>
public static class LedgerActions
{
    public const string Create = "create";
    public const string Apply = "apply";
    public const string MergeLabels = "merge-labels";
    public const string CopySecret = "copy-secret";
    public const string ReleaseOwner = "release-owner";
    public const string DeleteOriginal = "delete-original";
    public const string OriginalGone = "original-gone";
    public const string SetOwner = "set-owner";
    public const string StopOriginal = "stop-original";
    public const string RecreateOriginal = "recreate-original";
    public const string RestoreLabels = "restore-labels";
}
