namespace OdhMigration.Core.Stages.Apply;

/// <summary>One ISVC cannot go on (refused or failed); the others do.</summary>
public sealed class ItemFailedException : Exception
{
    public ItemFailedException(string message) : base(message) { }
    public ItemFailedException(string message, Exception inner) : base(message, inner) { }
    public ItemFailedException() { }
}

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
