using System.Text.Json.Serialization;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>
/// approvals.json, written by the local runner (odh-migrate run, rehearse, the drop-ins): which gate was approved,
/// for exactly which document (by sha256), when, how and by whom. The file is a record, not a credential: a resumed
/// run skips the plan gate only when the recorded sha256 equals plan.json's current sha256 and the apply ledger
/// shows apply started from that same plan (see docs/local-runner.md).
/// </summary>
public sealed record Approvals : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "Approvals";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public List<Approval> Items { get; init; } = [];

    public Approval? Find(string gate, string sha256) =>
        Items.LastOrDefault(a => a.Gate == gate && string.Equals(a.Sha256, sha256, StringComparison.OrdinalIgnoreCase));
}

/// <param name="Gate">"plan" (before apply) or "cleanup" (before cleanup).</param>
/// <param name="Document">The workspace document approved, e.g. plan.json.</param>
/// <param name="ApprovedBy">"typed" on a terminal, or the option that approved it in advance.</param>
/// <param name="ApprovedAt">UTC.</param>
public sealed record Approval(string Gate, string Document, string Sha256, DateTimeOffset ApprovedAt, string ApprovedBy)
{
    /// <summary>Who approved: the user the runner ran as (from the environment); absent in records written before it existed.</summary>
    public string? User { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Approvals))]
public sealed partial class ApprovalsJsonContext : JsonSerializerContext;
