using System.Text.Json.Serialization;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Core.Workspace.Documents;

/// <summary>
/// capacity.json, written by export: what each selected ISVC's replacement will request, the ResourceQuotas of its
/// namespace and, where the account may read nodes and pods, the cluster's schedulable capacity. Transform reads it
/// to plan waves (docs/waves.md).
/// </summary>
/// <remarks>
/// Amounts are decimals in base units keyed by resource name: <c>cpu</c> in cores, <c>memory</c> and
/// <c>ephemeral-storage</c> in bytes, extended resources (<c>nvidia.com/gpu</c>, ...) in units. Quota keys keep the
/// quota's own names (<c>requests.cpu</c>, <c>requests.nvidia.com/gpu</c>, <c>pods</c>, ...).
/// </remarks>
public sealed record CapacityReport : IWorkspaceDocument
{
    public const int CurrentSchemaVersion = 1;
    public const string DocumentKind = "CapacityReport";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Kind { get; init; } = DocumentKind;
    public DateTimeOffset GeneratedAt { get; init; }
    public SourceInfo Source { get; init; } = new("snapshot", "");
    public List<ConsumedDocument> Consumed { get; init; } = [];

    /// <summary>Per selected ISVC: what its replacement will request when it starts.</summary>
    public List<ItemDemand> Items { get; init; } = [];

    /// <summary>Per exported namespace, each ResourceQuota with what is still free under it.</summary>
    public List<NamespaceQuota> Quotas { get; init; } = [];

    /// <summary>Per exported namespace, the Container defaults of each LimitRange (what admission fills into a container that states no value); empty in a capacity.json written before they were read.</summary>
    public List<NamespaceLimitRange> LimitRanges { get; init; } = [];

    /// <summary>Schedulable capacity; <see cref="ClusterCapacity.Readable"/> false (with the reason) when the account may not read it.</summary>
    public ClusterCapacity Cluster { get; init; } = new();

    /// <summary>The storageInitializer settings export read (or KServe's defaults), which size the init container KServe injects into a predictor with a storageUri; null in a capacity.json written before they were read.</summary>
    public StorageInitializerSettings? StorageInitializer { get; init; }
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Warnings { get; init; } = [];
}

/// <summary>One ISVC's replacement: per component (predictor, transformer, explainer) requests per replica times the replicas it starts with.</summary>
public sealed record ItemDemand
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public List<ComponentDemand> Components { get; init; } = [];

    /// <summary>Sum over components of PerReplica x Replicas.</summary>
    public Dictionary<string, decimal> Total { get; init; } = [];

    /// <summary>The runtime it runs on (items sharing a runtime stay in one wave).</summary>
    public string? Runtime { get; init; }

    /// <summary>Serverless originals can be stopped (serving.kserve.io/stop) to free what they hold; ModelMesh ones cannot.</summary>
    public bool OriginalCanBeStopped { get; init; }

    /// <summary>What the original holds while it runs (freed when it is stopped or cleaned up); empty when unknown.</summary>
    public Dictionary<string, decimal> OriginalHolds { get; init; } = [];

    /// <summary><see cref="OriginalHolds"/> per node its pods are bound to (node name to requests), so freeing it frees those nodes; empty when unknown.</summary>
    public Dictionary<string, Dictionary<string, decimal>> OriginalHoldsPerNode { get; init; } = [];

    /// <summary>The limits of the original's running pods (what it holds under limits.* quotas); empty when unknown.</summary>
    public Dictionary<string, decimal> OriginalHoldsLimits { get; init; } = [];
    [JsonConverter(typeof(RedactedTextListConverter))]
    public List<string> Notes { get; init; } = [];
}

/// <summary>One component's pod: requests per replica (every container), the replicas it starts with, and where it may be placed (the runtime's nodeSelector with the component's over it).</summary>
public sealed record ComponentDemand(string Component, int Replicas, Dictionary<string, decimal> PerReplica, Dictionary<string, string> NodeSelector)
{
    /// <summary>The pod's tolerations (runtime's and component's) as key[=value][:effect], "key" for operator Exists; a tainted pool takes only pods that tolerate its taints.</summary>
    public List<string> Tolerations { get; init; } = [];

    /// <summary>Limits per replica (sum over its containers, only resources some container limits); null in a capacity.json written before limits were recorded.</summary>
    public Dictionary<string, decimal>? PerReplicaLimits { get; init; }

    /// <summary>cpu/memory to the containers that set no limit for it: a quota on limits.cpu/limits.memory refuses such a pod.</summary>
    public Dictionary<string, List<string>> WithoutLimits { get; init; } = [];

    /// <summary>cpu/memory to the containers that set neither request nor limit for it: a quota on cpu/memory or requests.* refuses such a pod.</summary>
    public Dictionary<string, List<string>> WithoutRequests { get; init; } = [];

    /// <summary>The pod's containers (init containers included) as the ISVC and runtime state them, so a LimitRange of the replacement's namespace can be applied to each; null in a capacity.json written before they were recorded.</summary>
    public List<ContainerDemand>? Containers { get; init; }

    /// <summary>What a LimitRange of the replacement's namespace filled in (set by transform when it plans waves, never written).</summary>
    [JsonIgnore]
    public List<string> Defaulted { get; init; } = [];
}

/// <summary>One container of a component's pod: its explicit requests and limits (base units) and whether it is an init container (<see cref="InitKind"/>, <see cref="SidecarKind"/>) or not (null).</summary>
public sealed record ContainerDemand(string Name, Dictionary<string, decimal> Requests, Dictionary<string, decimal> Limits)
{
    public const string InitKind = "init";
    public const string SidecarKind = "sidecar";

    /// <summary>null for an app container; "init" for an init container that runs to completion; "sidecar" for an init container with restartPolicy Always (it keeps running beside the app containers).</summary>
    public string? Init { get; init; }

    /// <summary>True for a container KServe's pod webhook adds (storage-initializer, modelcar, modelcar-init): not in the ISVC or runtime, but in every pod; null otherwise.</summary>
    public bool? Injected { get; init; }
}

/// <summary>
/// The <c>storageInitializer</c> key of the inferenceservice-config ConfigMap as KServe's pod webhook uses it for
/// resources: the storage-initializer init container's requests and limits, whether a pvc:// model is mounted directly
/// (no init container), and whether an oci:// model runs as a modelcar (a sidecar and an init container, each
/// requesting and limited to cpuModelcar/memoryModelcar). Amounts in base units, as elsewhere in capacity.json.
/// </summary>
public sealed record StorageInitializerSettings
{
    /// <summary>Where the values come from, e.g. "ConfigMap opendatahub/inferenceservice-config data.storageInitializer" or "KServe defaults (...)".</summary>
    public string Source { get; init; } = "";
    public Dictionary<string, decimal> Requests { get; init; } = [];
    public Dictionary<string, decimal> Limits { get; init; } = [];
    public bool EnableDirectPvcVolumeMount { get; init; }
    public bool EnableModelcar { get; init; }

    /// <summary>Requests and limits of each modelcar container (cpuModelcar, memoryModelcar).</summary>
    public Dictionary<string, decimal> Modelcar { get; init; } = [];
}

/// <summary>A LimitRange's Container item: the limits (<see cref="Default"/>) and requests (<see cref="DefaultRequest"/>) admission gives a container that states none, after the API's defaulting of the item (max to default, default and min to defaultRequest).</summary>
public sealed record NamespaceLimitRange(string Namespace, string Name, Dictionary<string, decimal> Default, Dictionary<string, decimal> DefaultRequest);

public sealed record NamespaceQuota(string Namespace, string Name, Dictionary<string, decimal> Hard, Dictionary<string, decimal> Used, Dictionary<string, decimal> Free);

public sealed record ClusterCapacity
{
    public bool Readable { get; init; }

    /// <summary>Why capacity is unknown (e.g. "forbidden: cannot list nodes"), when it is.</summary>
    public string? Reason { get; init; }
    public List<CapacityPool> Pools { get; init; } = [];
}

/// <summary>Nodes grouped by the labels that decide where a pod may land (GPU product, node selector keys), with what is free on them.</summary>
public sealed record CapacityPool(string Key, Dictionary<string, string> Labels, List<string> Nodes, Dictionary<string, decimal> Allocatable, Dictionary<string, decimal> Requested, Dictionary<string, decimal> Free)
{
    /// <summary>NoSchedule/NoExecute taints the pool's nodes share (key[=value]:effect); only pods that tolerate them land there.</summary>
    public List<string> Taints { get; init; } = [];

    /// <summary>Per node of the pool (name order) its allocatable and free: a pod lands on one node, so what fits is decided per node, not by the pool's sums.</summary>
    public List<NodeCapacity> PerNode { get; init; } = [];
}

/// <summary>One schedulable node: its allocatable and what the pods bound to it leave free (allocatable - requested, never below zero).</summary>
public sealed record NodeCapacity(string Name, Dictionary<string, decimal> Allocatable, Dictionary<string, decimal> Free)
{
    /// <summary>The node's labels whose keys some selected component's nodeSelector names (only those, so the document stays small); null when no selector names one of its labels, or in a capacity.json written before they were recorded.</summary>
    public Dictionary<string, string>? Labels { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CapacityReport))]
public sealed partial class CapacityReportJsonContext : JsonSerializerContext;
