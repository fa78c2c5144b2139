using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>Read access to a cluster: a live API server or an offline snapshot. The stages that only read depend on this.</summary>
public interface IClusterReader
{
    /// <summary>Human description of the backing, e.g. "snapshot samples/x.yaml" or "context prod (https://...)".</summary>
    string Description { get; }

    /// <summary>"cluster" or "snapshot".</summary>
    string BackingType { get; }

    /// <summary>Lists objects of a kind; ns null lists across all namespaces (or a cluster-scoped kind).</summary>
    Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default);

    /// <summary>The object, or null when it does not exist.</summary>
    Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default);
}
