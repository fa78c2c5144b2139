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
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RollbackLedger))]
public sealed partial class RollbackLedgerJsonContext : JsonSerializerContext;
