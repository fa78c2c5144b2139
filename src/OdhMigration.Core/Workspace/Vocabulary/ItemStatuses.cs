namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>
/// The status of one ISVC in a stage's document: ExportedItem.Status and PlanItem.Status (ok or failed; only ok items go
/// on to the next stage) and CleanupItem.Status (cleaned, skipped or failed).
/// </summary>
public static class ItemStatuses
{
    public const string Ok = "ok";
    public const string Failed = "failed";

    /// <summary>cleanup: the originals named in the plan were handled (deleted, kept or already gone).</summary>
    public const string Cleaned = "cleaned";

    /// <summary>cleanup: the replacement did not pass validation (or changed since), so nothing was touched.</summary>
    public const string Skipped = "skipped";
}
