using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>The run "dies" right after its Nth write reached the server, before it could record the answer: a kill at that point.</summary>
internal sealed class KillingCluster(ICluster inner, int killAfterWrites) : ICluster
{
    private int _writes;

    public bool Killed { get; private set; }

    public string Description => inner.Description;
    public string BackingType => inner.BackingType;

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) => inner.ListAsync(kind, ns, labelSelector, cancellationToken);

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) => inner.GetAsync(kind, ns, name, cancellationToken);

    public async Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => Counted(await inner.CreateAsync(obj, options, cancellationToken));

    public async Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => Counted(await inner.ApplyAsync(obj, options, cancellationToken));

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default) => Counted(await inner.PatchAsync(kind, ns, name, patchKind, body, options, cancellationToken));

    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) => Counted(await inner.DeleteAsync(kind, ns, name, options, cancellationToken));

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default) => inner.WatchAsync(kind, ns, fieldSelector, resourceVersion, cancellationToken);

    public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) => inner.CanIAsync(verb, kind, ns, cancellationToken);

    private T Counted<T>(T result)
    {
        if (++_writes >= killAfterWrites)
        {
            Killed = true;
            throw new KilledException();
        }

        return result;
    }
}

/// <summary>Not a transient error, a timeout or a cluster answer: nothing in the tools catches or retries it, like a SIGKILL.</summary>
internal sealed class KilledException : Exception
{
    public KilledException()
        : base("killed after a write")
    {
    }
}
