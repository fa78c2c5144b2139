using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>finalize.json, written by dsc-finalize: what was (or would be) changed on DSC, DSCI and operators, and why not.</summary>
public sealed record FinalizeReport : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "FinalizeReport";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public bool DryRun { get; init; }

    /// <summary>done, no-change, refused or blocked.</summary>
    public string Verdict { get; init; } = "";

    /// <summary>InferenceServices still Serverless or ModelMesh: any of them refuses the run.</summary>
    public List<LeftoverIsvc> Leftovers { get; init; } = [];
    public List<FieldChange> Changes { get; init; } = [];
    public List<string> Backups { get; init; } = [];

    /// <summary>
    /// Each file in <see cref="Backups"/> with the sha256 it had when written, so rollback can tell a backup changed
    /// since from the one dsc-finalize took. Absent in a finalize.json written before it was added: rollback then
    /// refuses to restore from those backups (null, not empty: that is how a missing list reads).
    /// </summary>
    public List<BackupRecord>? BackupFiles { get; init; } = [];

    /// <summary>
    /// The DSC/DSCI as this (real) run left them: the spec the server answered the patch with. Rollback compares the
    /// live spec with it, so a change made by someone after dsc-finalize is not silently reverted by the restore.
    /// </summary>
    public List<FinalizedObject>? Finalized { get; init; } = [];

    /// <summary>
    /// The earlier real runs that changed something, oldest first, carried forward by every later run (no-change,
    /// refused and dry runs too), so a rerun never loses the record of the backups: rollback restores each DSC/DSCI
    /// from the first backup taken of it (its state before dsc-finalize) and compares the live spec with what the
    /// latest run that changed it left. Absent when no earlier run changed anything, and in a finalize.json written
    /// before it was added.
    /// </summary>
    public List<FinalizeRun>? EarlierRuns { get; init; }
    public List<OperatorAdvice> Operators { get; init; } = [];

    /// <summary>What still stands between this cluster and the 3.x upgrade.</summary>
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Blockers { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
}

public sealed record LeftoverIsvc(string Namespace, string Name, string Mode, string ModeSource, bool BeingDeleted);

/// <summary>One field the run changed (or would change in a dry run).</summary>
public sealed record FieldChange(string Kind, string Name, string Field, string? From, string To);

/// <summary>A backup file (workspace-relative) and its sha256 at the time it was written.</summary>
public sealed record BackupRecord(string Path, string Sha256);

/// <summary>
/// One earlier real run of dsc-finalize that changed something: its fields as that run's finalize.json had them.
/// Nullable throughout: read from a file that may have been edited, and checked before it is used.
/// </summary>
public sealed record FinalizeRun
{
    public DateTimeOffset GeneratedAt { get; init; }
    public List<FieldChange>? Changes { get; init; } = [];
    public List<string>? Backups { get; init; } = [];
    public List<BackupRecord>? BackupFiles { get; init; }
    public List<FinalizedObject>? Finalized { get; init; }
}

/// <summary>An object dsc-finalize patched, with the spec the patch left (server defaulting included).</summary>
public sealed record FinalizedObject(string Kind, string Name, JsonObject? Spec);

public sealed record OperatorAdvice(string Operator, string Namespace, string Subscription, string? Csv, bool SafeToUninstall, string Reason, string Action);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FinalizeReport))]
public sealed partial class FinalizeReportJsonContext : JsonSerializerContext;
