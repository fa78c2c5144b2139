using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>rollback.json, written by rollback: per item and step, what happened.</summary>
public sealed record RollbackReport : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "RollbackReport";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public bool DryRun { get; init; }

    /// <summary>sha256 of the rollback-plan.json this run carried out.</summary>
    public string PlanSha256 { get; init; } = "";
    public List<RollbackItemOutcome> Items { get; init; } = [];
    public List<RollbackStepOutcome> Cluster { get; init; } = [];
}

/// <summary>Status: rolled-back, refused, failed or planned (dry run).</summary>
public sealed record RollbackItemOutcome(string Namespace, string Name, string Status, [property: JsonConverter(typeof(RedactedTextConverter))] string? Reason, List<RollbackStepOutcome> Steps);

/// <summary>Outcome: done, already-done, left (not ours or changed since; see Reason), failed, planned.</summary>
public sealed record RollbackStepOutcome(string Id, string Action, string Kind, string? Namespace, string Name, string Outcome, [property: JsonConverter(typeof(RedactedTextConverter))] string? Reason, string? Uid);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RollbackReport))]
public sealed partial class RollbackReportJsonContext : JsonSerializerContext;
