using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// The consistent snapshots paged lists continue from. The API server serves every page of a <c>limit</c>/<c>continue</c>
/// list at the first page's revision (etcd keeps old revisions until compaction), so objects written after the first
/// page never appear in later pages. The simulator keeps, per kind and list resourceVersion, the key order and the
/// object references of that moment (stored objects are replaced, never mutated, so references are exact); at most
/// <c>capacity</c> snapshots for at most <c>lifetime</c> (the API server's default compaction interval is 5 minutes).
/// A token whose snapshot is gone is 410 Expired, as after an etcd compaction
/// (k8s.io/apiserver pkg/storage/etcd3/store.go GetList, pkg/storage/etcd3/errors.go).
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class ListSnapshots(TimeProvider clock, int capacity = 64, TimeSpan? lifetime = null)
{
    private readonly Dictionary<(string Resource, long ResourceVersion), Snapshot> _byVersion = [];
    private readonly Queue<(string Resource, long ResourceVersion)> _order = new();

    public int Capacity { get; set; } = capacity;

    public TimeSpan Lifetime { get; set; } = lifetime ?? TimeSpan.FromMinutes(5);

    /// <summary>One kind's objects at one resourceVersion, keys sorted.</summary>
    public sealed record Snapshot(string[] Keys, IReadOnlyDictionary<string, JsonObject> Items, DateTimeOffset Taken);

    public int Count => _byVersion.Count;

    public void Keep(string resource, long resourceVersion, string[] sortedKeys, IReadOnlyDictionary<string, JsonObject> items)
    {
        Expire();
        if (_byVersion.ContainsKey((resource, resourceVersion)))
        {
            return;
        }

        _byVersion[(resource, resourceVersion)] = new Snapshot(sortedKeys, new Dictionary<string, JsonObject>(items, StringComparer.Ordinal), clock.GetUtcNow());
        _order.Enqueue((resource, resourceVersion));
        while (_order.Count > Capacity)
        {
            _byVersion.Remove(_order.Dequeue());
        }
    }

    public Snapshot? Find(string resource, long resourceVersion)
    {
        Expire();
        return _byVersion.GetValueOrDefault((resource, resourceVersion));
    }

    private void Expire()
    {
        var now = clock.GetUtcNow();
        while (_order.TryPeek(out var oldest) && (!_byVersion.TryGetValue(oldest, out var snapshot) || now - snapshot.Taken > Lifetime))
        {
            _byVersion.Remove(_order.Dequeue());
        }
    }
}
