using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.Discover;

/// <summary>
/// A read-only "live" cluster over a snapshot: counts every read and access review, and answers access reviews
/// from <see cref="Deny"/>. Writes are not supported (discover and export never write).
/// </summary>
public sealed class CountingCluster(IClusterReader inner) : ICluster
{
    private int _requests;

    public int Requests => _requests;

    public Func<string, ResourceKind, string?, bool> Deny { get; init; } = (_, _, _) => false;

    /// <summary>Kinds whose list answers 403.</summary>
    public IReadOnlySet<ResourceKind> ForbiddenLists { get; init; } = new HashSet<ResourceKind>();

    public string Description => "counting " + inner.Description;

    public string BackingType => "cluster";

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return ForbiddenLists.Contains(kind)
            ? throw new ClusterException(403, "Forbidden", $"{kind} is forbidden: User \"dev\" cannot list resource \"{kind.Plural}\" in namespace \"{ns}\"")
            : inner.ListAsync(kind, ns, labelSelector, cancellationToken);
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return inner.GetAsync(kind, ns, name, cancellationToken);
    }

    public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return Task.FromResult(!Deny(verb, kind, ns));
    }

    public Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }
}
