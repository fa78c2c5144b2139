namespace OdhMigration.Core.Stages.Apply;

public static class ApplyItemStatus
{
    public const string Applied = "applied";
    public const string AlreadyApplied = "already-applied";
    public const string DryRun = "dry-run";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";
    public const string Refused = "refused";
    public const string NotPlanned = "not-planned";
}

public sealed record ApplyItemResult(string Namespace, string Name, string Status, string? Message);
