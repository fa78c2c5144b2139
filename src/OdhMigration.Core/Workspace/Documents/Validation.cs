using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>validation.json, written by validate: per migrated ISVC, Kubernetes-style conditions with reasons and remedies, and the endpoint map.</summary>
public sealed record Validation : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "Validation";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>plan.json and ledger.json as read, with their sha256.</summary>
    public List<ConsumedDocument> Consumed { get; init; } = [];
    public int Passed { get; init; }
    public int Failed { get; init; }
    public List<ValidatedItem> Items { get; init; } = [];
}

public sealed record ValidatedItem
{
    /// <summary>The original ISVC.</summary>
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string TargetNamespace { get; init; } = "";
    public string TargetName { get; init; } = "";

    /// <summary>The plan wave of the item (null when the plan has no waves); validate --wave K replaces only its wave's entries.</summary>
    public int? Wave { get; init; }

    /// <summary>uid of the replacement that was validated; cleanup checks it is still that object.</summary>
    public string? TargetUid { get; init; }
    public bool Passed { get; init; }

    /// <summary>Passed, NotApplied, NotFound, NotReady, NoURL, WrongDeploymentMode, RuntimeMissing, UnsupportedModelFormat, InsufficientResources, InferenceFailed, OutputMismatch.</summary>
    public string Reason { get; init; } = "";
    [JsonConverter(typeof(RedactedTextConverter))]
    public string Message { get; init; } = "";
    public List<ValidationCondition> Conditions { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Remedies { get; init; } = [];
    public string? Url { get; init; }
    public string? DeploymentMode { get; init; }
    public InferenceCheck? Inference { get; init; }
    public EndpointMap? Endpoint { get; init; }
    public double Seconds { get; init; }
}

/// <summary>A condition as Kubernetes writes them: Type, Status (True/False/Unknown), Reason (CamelCase), Message.</summary>
public sealed record ValidationCondition(string Type, string Status, string Reason, [property: JsonConverter(typeof(RedactedTextConverter))] string Message);

public sealed record InferenceCheck
{
    /// <summary>v1 or v2.</summary>
    public string Protocol { get; init; } = "";
    public string Url { get; init; } = "";
    public int? StatusCode { get; init; }
    public bool Passed { get; init; }
    [JsonConverter(typeof(RedactedTextConverter))]
    public string Message { get; init; } = "";
    public bool Compared { get; init; }
    public int? OriginalStatusCode { get; init; }
    public double? MaxDifference { get; init; }
}

/// <summary>For downstream clients: where the model was, where it is now, and the Secret that holds the new token (never the token).</summary>
public sealed record EndpointMap(string? OldUrl, string? NewUrl, string NewNamespace, string NewName, string? TokenSecret);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Validation))]
public sealed partial class ValidationJsonContext : JsonSerializerContext;
