namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>How transform migrates an ISVC (PlanItem.Strategy, LedgerItem.Strategy, --strategy); apply reads it back.</summary>
public static class Strategies
{
    public const string SideBySide = "side-by-side";
    public const string InPlace = "in-place";
    public const string NewNamespace = "new-namespace";

    public static readonly string[] All = [SideBySide, InPlace, NewNamespace];
}
