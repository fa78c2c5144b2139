using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>
/// rollback-plan.json, written by rollback: per migrated ISVC, the steps that undo its migration, in order. Built from
/// workspace documents and the few live facts RollbackInputs names (no clock), so the dry run and the real run compute
/// the same bytes and the approval (--expect-rollback-sha256) binds exactly what was reviewed.
/// </summary>
public sealed record RollbackPlan : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "RollbackPlan";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;

    /// <summary>plan.json, ledger.json, export.json, cleanup.json and finalize.json as read (those present), with their sha256.</summary>
    public List<ConsumedDocument> Consumed { get; init; } = [];
    public List<RollbackPlanItem> Items { get; init; } = [];

    /// <summary>Cluster-level steps (DSC/DSCI restored from _cluster/ backups after dsc-finalize), run after every item.</summary>
    public List<RollbackStep> Cluster { get; init; } = [];
}

public sealed record RollbackPlanItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string SourceMode { get; init; } = "";
    public string Strategy { get; init; } = "";
    public string TargetNamespace { get; init; } = "";
    public string TargetName { get; init; } = "";

    /// <summary>Why this item is not rolled back (its steps are empty), or null.</summary>
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Refusal { get; init; }

    /// <summary>In order: replacements deleted first, then stopped originals resumed, originals recreated, then labels restored.</summary>
    public List<RollbackStep> Steps { get; init; } = [];
}

/// <summary>
/// One step. Action: delete-replacement (Uid: what apply's ledger recorded; any other uid is left alone),
/// recreate-original (BackupFile with BackupSha256), restore-label (LabelKey back to LabelValue; null removes it),
/// restore-cluster (a DSC/DSCI from its _cluster/ backup), set-owner (Owner: an ownerReference of a recreated original
/// pointed at its recreated owner), resume-original (Uid: the original apply stopped; AnnotationKey back to
/// AnnotationValue, its exported value, null removes it).
/// </summary>
public sealed record RollbackStep
{
    /// <summary>Stable id within the plan ("&lt;ns&gt;/&lt;isvc&gt;#&lt;n&gt;"), the key of rollback-ledger.json.</summary>
    public string Id { get; init; } = "";
    public string Action { get; init; } = "";
    public string Kind { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string? Namespace { get; init; }
    public string Name { get; init; } = "";
    public string? Uid { get; init; }
    public string? BackupFile { get; init; }
    public string? BackupSha256 { get; init; }
    public string? LabelKey { get; init; }
    public string? LabelValue { get; init; }

    /// <summary>restore-label: the value apply set; a different live value means someone changed it since, and it is left alone.</summary>
    public string? LabelAppliedValue { get; init; }

    /// <summary>resume-original: the annotation apply set to stop the original (serving.kserve.io/stop).</summary>
    public string? AnnotationKey { get; init; }

    /// <summary>resume-original: the value export's backup had (null: it had none, and the annotation is removed).</summary>
    public string? AnnotationValue { get; init; }

    /// <summary>resume-original: the value apply set; a different live value means someone changed it since, and it is left alone.</summary>
    public string? AnnotationAppliedValue { get; init; }

    /// <summary>set-owner: the ownerReference to put back on an original recreated without it, to the recreated owner.</summary>
    public RollbackOwner? Owner { get; init; }

    /// <summary>
    /// restore-cluster: the spec fields changed since dsc-finalize left them ("path: left -> now"), which restoring the
    /// backup would revert; null when there are none.
    /// </summary>
    public List<string>? Drift { get; init; }

    /// <summary>
    /// Why this step is not carried out (its backup cannot be trusted, drift without --force-dsc-restore, or an original
    /// to resume that is not the one apply stopped), or null.
    /// </summary>
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Refusal { get; init; }
    [JsonConverter(typeof(RedactedTextConverter))]
    public string Reason { get; init; } = "";
}

/// <summary>
/// The owner an original had (its ownerReference to the original InferenceService, from export's sidecar record),
/// now the one recreated by step <see cref="OwnerStep"/>; <see cref="TargetStep"/> recreated the dependent. Both uids
/// are known only once those steps ran, so they come from rollback-ledger.json.
/// </summary>
public sealed record RollbackOwner(string ApiVersion, string Kind, string Name, string OriginalUid, string OwnerStep, string TargetStep, bool? Controller, bool? BlockOwnerDeletion);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RollbackPlan))]
public sealed partial class RollbackPlanJsonContext : JsonSerializerContext;
