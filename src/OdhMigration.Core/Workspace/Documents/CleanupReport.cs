using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>cleanup.json, written by cleanup: per migrated ISVC, every original it deleted, kept (and why) or could not delete.</summary>
public sealed record CleanupReport : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "CleanupReport";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>plan.json and validation.json as read, with their sha256.</summary>
    public List<ConsumedDocument> Consumed { get; init; } = [];
    public bool DryRun { get; init; }
    /// <summary>Objects this run deleted (or, in a dry run, would delete).</summary>
    public int Deleted { get; init; }

    /// <summary>Objects the plan names that were already gone when this run looked (a re-run): not counted as deleted.</summary>
    public int AlreadyAbsent { get; init; }
    public int Kept { get; init; }
    public int Failed { get; init; }
    public List<CleanupItem> Items { get; init; } = [];
}

public sealed record CleanupItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The plan wave of the item (null when the plan has no waves); cleanup --wave K replaces only its wave's entries.</summary>
    public int? Wave { get; init; }

    /// <summary>cleaned, skipped (replacement did not pass) or failed (something could not be deleted).</summary>
    public string Status { get; init; } = "";
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Reason { get; init; }
    public List<CleanupObject> Objects { get; init; } = [];
}

/// <summary>
/// Outcome: deleted, already-gone (absent before this run touched it), would-delete (dry run), kept, failed, stuck (a
/// finalizer holds it; see Reason), handled-elsewhere (another item of this run named the same object; counted there).
/// </summary>
public sealed record CleanupObject(string Kind, string? Namespace, string Name, string Outcome, [property: JsonConverter(typeof(RedactedTextConverter))] string? Reason, string? BackupFile, string? Uid);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CleanupReport))]
public sealed partial class CleanupReportJsonContext : JsonSerializerContext;
