using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>
/// An <see cref="ICluster"/> whose every request goes through a <see cref="RetryPolicy"/>. Watches are not retried
/// here (a stream that broke half-way cannot be replayed blindly); their callers re-list and re-watch.
/// </summary>
public sealed class RetryingCluster(ICluster inner, RetryPolicy policy) : ICluster
{
    public ICluster Inner => inner;

    public string Description => inner.Description;

    public string BackingType => inner.BackingType;

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.ListAsync(kind, ns, labelSelector, ct), cancellationToken);

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.GetAsync(kind, ns, name, ct), cancellationToken);

    public Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.CreateAsync(obj, options, ct), cancellationToken);

    public Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.ApplyAsync(obj, options, ct), cancellationToken);

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.PatchAsync(kind, ns, name, patchKind, body, options, ct), cancellationToken);

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.DeleteAsync(kind, ns, name, options, ct), cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(kind, ns, fieldSelector, resourceVersion, cancellationToken);

    public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) =>
        policy.ExecuteAsync(ct => inner.CanIAsync(verb, kind, ns, ct), cancellationToken);
}
