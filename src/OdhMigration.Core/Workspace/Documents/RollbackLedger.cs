using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>
/// rollback-ledger.json, written by rollback before and after every step (atomic rewrite): the step's state (intent,
/// done, failed) and the uid it produced. A killed run's successor reads it to tell its own recreated originals from
/// replacements and to skip what is done.
/// </summary>
public sealed record RollbackLedger : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "RollbackLedger";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>sha256 of the rollback-plan.json whose steps these are; another plan starts a fresh ledger.</summary>
    public string PlanSha256 { get; set; } = "";
    public List<RollbackLedgerStep> Steps { get; init; } = [];
}

public sealed record RollbackLedgerStep
{
    public string Id { get; init; } = "";
    public string State { get; set; } = "";
    public string? Uid { get; set; }
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Error { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>
    /// A DSC/DSCI restore: the object (apiVersion, kind, name, spec) as it was right before this rollback patched it,
    /// recorded with the intent. A run resumed with the same approved plan plans from it instead of the restored live
    /// object, so the plan (hosting and drift checks) is the one approved. Absent for other steps.
    /// </summary>
    public JsonObject? Before { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RollbackLedger))]
public sealed partial class RollbackLedgerJsonContext : JsonSerializerContext;
