using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>inventory.json, written by discover: every InferenceService in scope, its mode, facts and selection.</summary>
public sealed record Inventory : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "Inventory";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public SourceInfo Source { get; init; } = new("snapshot", "");
    public DiscoverScope Scope { get; init; } = new();
    public ClusterDefaults Cluster { get; init; } = new();
    public List<InventoryItem> Items { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
    public List<PreflightCheck> Preflight { get; init; } = [];
}

public sealed record SourceInfo(string Type, string Description);

public sealed record DiscoverScope
{
    public List<string> Namespaces { get; init; } = [];
    public bool AllNamespaces { get; init; }
    public string Mode { get; init; } = "all";
    public List<string> Select { get; init; } = [];
    public string? Selector { get; init; }
    public List<string> Exclude { get; init; } = [];
}

public sealed record ClusterDefaults
{
    /// <summary>Normalised default mode (Serverless, RawDeployment, ModelMesh) or null when unknown.</summary>
    public string? DefaultDeploymentMode { get; init; }
    public string? DefaultDeploymentModeSource { get; init; }
    public string? ApplicationsNamespace { get; init; }
}

public sealed record InventoryItem
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Uid { get; init; }

    /// <summary>Normalised mode: Serverless, ModelMesh, RawDeployment, or Unknown.</summary>
    public string Mode { get; init; } = "Unknown";

    /// <summary>Where the mode came from: annotation, status, cluster-default, assumed.</summary>
    public string ModeSource { get; init; } = "";

    /// <summary>Serverless or ModelMesh, with no blocker.</summary>
    public bool Eligible { get; init; }
    public bool Selected { get; init; }

    /// <summary>Why the item is (not) eligible and (not) selected, in plain words.</summary>
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Reasons { get; init; } = [];
    public IsvcFacts Facts { get; init; } = new();
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Blockers { get; init; } = [];
}

public sealed record IsvcFacts
{
    public string? Runtime { get; init; }

    /// <summary>spec (named in spec.predictor.model.runtime), auto-select, or none.</summary>
    public string? RuntimeResolvedBy { get; init; }
    public bool RuntimeExists { get; init; }
    /// <summary>Other ISVCs on the same runtime: the first <c>SharedWithLimit</c> names (a runtime may serve thousands).</summary>
    public List<string> RuntimeSharedWith { get; init; } = [];

    /// <summary>How many other ISVCs use the runtime (RuntimeSharedWith may list fewer).</summary>
    public int RuntimeSharedCount { get; init; }
    public string? ModelFormat { get; init; }
    public string? ModelFormatVersion { get; init; }
    public bool Auth { get; init; }

    /// <summary>annotation, label, runtime-annotation (ModelMesh) or none.</summary>
    public string? AuthSource { get; init; }

    /// <summary>public, cluster-local, exposed, internal.</summary>
    public string? Visibility { get; init; }

    /// <summary>storage-key, storage-uri:&lt;scheme&gt;, pvc, modelmesh-secret-key, none.</summary>
    public string? StorageForm { get; init; }
    public string? StorageKey { get; init; }

    /// <summary>storage.path, the path inside a pvc:// URI, or a plain storageUri path; never a remote URI (it may hold credentials).</summary>
    [JsonConverter(typeof(RedactedTextConverter))]
    public string? StoragePath { get; init; }
    public bool HasTransformer { get; init; }
    public bool HasExplainer { get; init; }

    /// <summary>argocd or flux when a GitOps tool manages the object.</summary>
    public string? GitOps { get; init; }
    public string? Url { get; init; }
    public bool? Ready { get; init; }

    [JsonIgnore]
    public bool RuntimeShared => RuntimeSharedWith.Count > 0 || RuntimeSharedCount > 0;
}

/// <summary>
/// One access review discover asked. Optional: a permission only an optional feature needs (export reading the
/// cluster's capacity for --waves auto); refusing it is a warning naming what will not be possible, never a refusal of the stage.
/// </summary>
public sealed record PreflightCheck(string Stage, string Verb, string Resource, string? Namespace, bool Allowed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Optional = false);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Inventory))]
public sealed partial class InventoryJsonContext : JsonSerializerContext;
