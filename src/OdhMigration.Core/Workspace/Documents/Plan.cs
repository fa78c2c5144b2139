using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>plan.json, written by transform: per ISVC what apply will create and what cleanup may delete.</summary>
public sealed record Plan : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "Plan";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public List<ConsumedDocument> Consumed { get; init; } = [];
    public PlanOptions Options { get; init; } = new();
    public List<PlanItem> Items { get; init; } = [];

    /// <summary>Per original runtime: which ISVCs still use it after the planned migration, so cleanup never deletes one in use.</summary>
    public List<RuntimeUsage> Runtimes { get; init; } = [];

    /// <summary>Waves (transform --waves auto | --wave-size N), in order; null when the plan has no waves (one implicit wave; keeps older plans byte-identical).</summary>
    public List<PlanWave>? Waves { get; init; }
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
}

public sealed record PlanOptions
{
    public string? Strategy { get; init; }
    public string? TargetNamespace { get; init; }
    public string Visibility { get; init; } = "preserve";

    /// <summary>--ignore-existing-ns: apply may use a target namespace that already exists (see PlanItem.RequireNewTargetNamespace).</summary>
    public bool IgnoreExistingNamespace { get; init; }

    /// <summary>How waves were planned: null (no waves), "auto" (fit free capacity and quotas) or "size".</summary>
    public string? Waves { get; init; }

    /// <summary>--wave-size N: at most N ISVCs per wave.</summary>
    public int? WaveSize { get; init; }
}

public sealed record PlanItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>Serverless or ModelMesh.</summary>
    public string SourceMode { get; init; } = "";

    /// <summary>side-by-side, in-place or new-namespace.</summary>
    public string Strategy { get; init; } = "";

    /// <summary>ok or failed (with Error); failed items are never applied.</summary>
    public string Status { get; init; } = ItemStatuses.Ok;
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Error { get; init; }
    public string TargetNamespace { get; init; } = "";
    public string TargetName { get; init; } = "";

    /// <summary>Workspace-relative folder apply uses (raw/ or raw-original-names/).</summary>
    public string ApplyDir { get; init; } = "";

    /// <summary>1-based wave this item belongs to (see Plan.Waves); null when the plan has no waves.</summary>
    public int? Wave { get; init; }
    public List<PlannedFile> Files { get; init; } = [];

    /// <summary>Objects apply creates (from ApplyDir), in order.</summary>
    public List<ObjectRef> Create { get; init; } = [];

    /// <summary>Originals cleanup will delete once the replacement validated, each with its backup file.</summary>
    public List<PlannedDeletion> DeleteOnCleanup { get; init; } = [];

    /// <summary>Objects deliberately left alone (e.g. a runtime still used by others), with the reason.</summary>
    public List<PlannedKeep> Keep { get; init; } = [];

    /// <summary>Secrets apply copies server-side from the source namespace (new-namespace strategy); data never on disk.</summary>
    public List<ObjectRef> SecretCopies { get; init; } = [];

    /// <summary>Secrets of which apply copies only the named keys server-side (e.g. storage-config entries); data never on disk.</summary>
    public List<SecretKeyCopy> SecretKeyCopies { get; init; } = [];

    /// <summary>
    /// new-namespace: apply must refuse when TargetNamespace already exists (and was not created by this run),
    /// unless the plan was made with --ignore-existing-ns.
    /// </summary>
    public bool RequireNewTargetNamespace { get; init; }

    /// <summary>Label changes apply makes on existing objects (e.g. the namespace's modelmesh-enabled for in-place), undone on rollback.</summary>
    public List<LabelChange> LabelChanges { get; init; } = [];

    /// <summary>in-place only: apply deletes the original ISVC first, then recreates it (the webhook refuses a mode change).</summary>
    public bool DeleteBeforeCreate { get; init; }

    /// <summary>
    /// With DeleteBeforeCreate: the originals apply deletes (and waits for) before creating from ApplyDir, in this
    /// order. They are recreated under the same names, so cleanup must not delete them afterwards.
    /// </summary>
    public List<PlannedDeletion> DeleteBeforeApply { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Changes { get; init; } = [];
    public EndpointMapping? Endpoint { get; init; }
}

/// <summary>One wave: its items, what they request, and the arithmetic that shows it fits.</summary>
public sealed record PlanWave
{
    public int Number { get; init; }

    /// <summary>"namespace/name" of the items, in plan order.</summary>
    public List<string> Items { get; init; } = [];

    /// <summary>Sum of the items' replacement requests (base units, see CapacityReport).</summary>
    public Dictionary<string, decimal> Demand { get; init; } = [];

    /// <summary>Serverless originals of this wave must be stopped (serving.kserve.io/stop) before its replacements can fit.</summary>
    public bool StopOriginalsFirst { get; init; }

    /// <summary>This wave must be cleaned up (originals deleted) before the next one can fit.</summary>
    public bool CleanupBeforeNextWave { get; init; }

    /// <summary>Human-readable lines: free capacity and quota per resource, minus this wave's demand.</summary>
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Arithmetic { get; init; } = [];
}

public sealed record PlannedFile(string Path, string Sha256, string Kind, string Name, string? Namespace);

public sealed record ObjectRef(string Kind, string ApiVersion, string Name, string? Namespace);

public sealed record PlannedDeletion(string Kind, string ApiVersion, string Name, string? Namespace, string Reason, string? BackupFile)
{
    /// <summary>Delete only when this original ServingRuntime is deleted too (per-runtime auth objects of a shared runtime).</summary>
    public string? OnlyWithRuntime { get; init; }

    /// <summary>
    /// sha256 of <see cref="PlannedDeletion.BackupFile"/> as export wrote it (recorded by transform), so the plan's
    /// approval covers the backups too: apply and cleanup refuse to delete an original whose backup differs.
    /// Absent in plans written before it existed; those fall back to the sha256 export.json records.
    /// </summary>
    public string? BackupSha256 { get; init; }
}

/// <summary>Copy only <paramref name="Keys"/> of Secret <paramref name="Name"/> from the source to the target namespace, merging into an existing Secret of that name.</summary>
public sealed record SecretKeyCopy(string Name, string SourceNamespace, string TargetNamespace, List<string> Keys, string Reason);

/// <summary>Set (To non-null) or remove (To null) one label on an existing object; From is the value transform saw (null: absent).</summary>
public sealed record LabelChange(string Kind, string ApiVersion, string Name, string? Namespace, string Key, string? From, string? To, string Reason);

public sealed record PlannedKeep(string Kind, string Name, string? Namespace, string Reason);

public sealed record RuntimeUsage(string Namespace, string Name, List<string> MigratedIsvcs, List<string> StillUsedBy, bool SafeToDelete);

/// <summary>For downstream clients: the old endpoint, the new ISVC, and the token Secret to read the new token from.</summary>
public sealed record EndpointMapping(string? OldUrl, string NewNamespace, string NewName, string? TokenSecret, string? Visibility);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Plan))]
public sealed partial class PlanJsonContext : JsonSerializerContext;
