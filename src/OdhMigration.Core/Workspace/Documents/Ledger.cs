using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>
/// ledger.json, written by apply: every object written or deleted, step by step, each recorded before it happens
/// (state "intent") and again once it did ("done"/"failed"), with uid and resourceVersion. The next run reads it to
/// resume or roll back whatever an interrupted run left half-way (see docs/stages-apply-validate-cleanup.md).
/// </summary>
public sealed record Ledger : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "Ledger";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>sha256 of the plan.json the steps carry out; a different plan starts a new ledger section per item.</summary>
    public string PlanSha256 { get; set; } = "";
    public string FieldManager { get; set; } = "";

    /// <summary>The documents the latest apply run read (plan.json, inventory.json) and their sha256.</summary>
    public List<ConsumedDocument> Consumed { get; set; } = [];

    /// <summary>Highest step sequence number handed out.</summary>
    public long LastSeq { get; set; }

    /// <summary>Highest journal line folded into this file (journal lines up to it are already included).</summary>
    public long LastJournalSeq { get; set; }
    public List<LedgerItem> Items { get; init; } = [];
}

public sealed record LedgerItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string Strategy { get; set; } = "";
    public string TargetNamespace { get; set; } = "";
    public string TargetName { get; set; } = "";
    public string State { get; set; } = LedgerItemStates.Pending;
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Error { get; set; }

    /// <summary>uid of the original ISVC when apply first saw it (in-place: the object it deleted).</summary>
    public string? OriginalUid { get; set; }

    /// <summary>uid of the replacement ISVC apply created.</summary>
    public string? ReplacementUid { get; set; }
    public string? BackupFile { get; set; }
    public List<LedgerStep> Steps { get; init; } = [];
}

public sealed record LedgerStep
{
    public long Seq { get; init; }
    public string Action { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? ApiVersion { get; init; }
    public string? Namespace { get; init; }
    public string Name { get; init; } = "";
    public string State { get; set; } = LedgerStepStates.Intent;
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? Detail { get; set; }
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Error { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Labels the step replaced (merge-labels), so a rollback can put them back. Never secret data.</summary>
    public Dictionary<string, string?>? PreviousLabels { get; set; }
}

/// <summary>One line of the ledger journal (ledger.journal.jsonl): a step event for an item.</summary>
public sealed record LedgerJournalEntry(long Sequence, string Namespace, string Name, LedgerStep Step, string? ItemState, [property: JsonConverter(typeof(RedactedTextConverter))] string? ItemError, string? OriginalUid, string? ReplacementUid);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Ledger))]
public sealed partial class LedgerJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LedgerJournalEntry))]
public sealed partial class LedgerJournalJsonContext : JsonSerializerContext;
