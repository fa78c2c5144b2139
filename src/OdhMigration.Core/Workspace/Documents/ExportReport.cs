using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>export.json, written by export: what was saved for each selected InferenceService.</summary>
public sealed record ExportReport : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "ExportReport";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public SourceInfo Source { get; init; } = new("snapshot", "");
    public List<ConsumedDocument> Consumed { get; init; } = [];
    public List<ExportedItem> Items { get; init; } = [];

    /// <summary>Cluster-level backups (inferenceservice-config, templates, DSC, DSCI).</summary>
    public List<ExportedFile> ClusterFiles { get; init; } = [];

    /// <summary>
    /// Per exported namespace, &lt;ns&gt;/_namespace/ facts (docs/workspace-export.md): roles namespace, runtimes,
    /// pvcs, permissions, data-connections. Summaries and data-free copies; not applied by any stage.
    /// </summary>
    public List<ExportedFile> NamespaceFiles { get; init; } = [];
    public bool SecretDataIncluded { get; init; }
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
}

public sealed record ExportedItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>ok or failed.</summary>
    public string Status { get; init; } = ItemStatuses.Ok;
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? Error { get; init; }
    public List<ExportedFile> Files { get; init; } = [];

    /// <summary>Workspace-relative JSON file mapping each saved file to the ownerReferences removed from it (they must not be re-applied).</summary>
    public string? OwnerReferencesFile { get; init; }
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
}

/// <summary>
/// One saved object. Role says what it is to the ISVC: isvc, runtime, service-account, role, role-binding,
/// token-secret, route, storage-secret, owner-references, template, inferenceservice-config, dsc, dsci, ...
/// </summary>
public sealed record ExportedFile(string Path, string Sha256, string Role, string Kind, string Name, string? Namespace);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExportReport))]
public sealed partial class ExportReportJsonContext : JsonSerializerContext;
