using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// The simulator's etcd: every object by kind and key, one global resourceVersion counter, an event history for
/// watches that resume from a resourceVersion, and live watch subscriptions. One lock guards everything; callers
/// always get deep copies so nothing outside the lock ever touches a stored object.
/// </summary>
public sealed partial class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KindTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ResourceKind Kind, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly List<IAdmissionCheck> _admission = [];
    private readonly TimeProvider _clock;
    private long _resourceVersion;
    private readonly ListSnapshots _listSnapshots;

    public ObjectStore(KindRegistry kinds, TimeProvider? clock = null, int historyCapacity = 10_000)
    {
        Kinds = kinds;
        _clock = clock ?? TimeProvider.System;
        _historyCapacity = historyCapacity;
        _listSnapshots = new ListSnapshots(_clock);
        foreach (var kind in kinds.All)
        {
            _tables[kind.GroupResource] = new KindTable();
        }
    }

    public KindRegistry Kinds { get; }

    /// <summary>When true, Foreground/Orphan deletes add the matching finalizer for the garbage collector to resolve.</summary>
    public bool PropagationFinalizers { get; set; }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>
    /// Fills defaults into a loaded object, as the API server defaults custom resources it reads from etcd: snapshot
    /// objects are what a read returned, so they are defaulted but never pruned or validated.
    /// </summary>
    public Action<ResourceKind, JsonObject>? ReadDefaults { get; init; }

    /// <summary>How each kind's lists and maps are owned, for managedFields and server-side apply (from the CRD schemas).</summary>
    public Patching.Ownership.FieldTypes FieldTypes { get; init; } = Patching.Ownership.FieldTypes.Schemaless;

    public void AddAdmission(IAdmissionCheck check)
    {
        lock (_gate)
        {
            _admission.Add(check);
        }
    }

    /// <summary>
    /// Loads snapshot objects as they are (status included), assigning missing uids and resourceVersions, and
    /// creating the Namespace objects the snapshot implies (a live cluster would have them). Not recorded as events.
    /// </summary>
    public void Load(IEnumerable<SnapshotObject> objects) => Load(objects, null);

    /// <summary>
    /// As <see cref="Load(IEnumerable{SnapshotObject})"/>; objects for which <paramref name="owned"/> is true are
    /// already in the store's form and nobody else holds them (<see cref="SnapshotDocuments"/>), so they are stored
    /// as they are instead of being copied: a list's items are detached from it once all are stored.
    /// </summary>
    internal void Load(IEnumerable<SnapshotObject> objects, Func<JsonObject, bool>? owned)
    {
        lock (_gate)
        {
            var now = ObjectMeta.Timestamp(_clock.GetUtcNow());
            var namespaces = new HashSet<string>(StringComparer.Ordinal) { "default" };
            var lists = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
            foreach (var snapshot in objects)
            {
                var kind = Kinds.FindByKind(snapshot.Kind.ApiVersion, snapshot.Kind.Kind) ?? snapshot.Kind;
                if (!_tables.ContainsKey(kind.GroupResource))
                {
                    throw new ManifestFormatException($"{snapshot.Source}: line {snapshot.Line}: kind '{kind.Kind}' ({kind.ApiVersion}) is not served by the simulator");
                }

                var obj = snapshot.Object;
                if (owned?.Invoke(obj) == true)
                {
                    if (obj.Parent is { } list)
                    {
                        lists.Add(list);
                    }
                }
                else
                {
                    obj = ObjectMeta.Materialize(obj);
                }

                if (kind.Namespaced && obj.Namespace() is { } ns)
                {
                    namespaces.Add(ns);
                }

                ReadDefaults?.Invoke(kind, obj);
                StoreLoaded(kind, obj, now);
            }

            var nsTable = _tables[Core.Manifests.Kinds.Namespace.GroupResource];
            foreach (var ns in namespaces.Where(n => !nsTable.Items.ContainsKey(ObjectMeta.Key(null, n))))
            {
                var obj = Manifest.NewObject(Core.Manifests.Kinds.Namespace, ns, null);
                NamespaceLifecycle.PrepareForCreate(obj);
                StoreLoaded(Core.Manifests.Kinds.Namespace, obj, now);
            }

            // A stored object is a root: nothing else may keep the snapshot's items (or a replaced one) alive.
            foreach (var list in lists)
            {
                (list as JsonArray)?.Clear();
            }

            _historyFloor = _resourceVersion;
        }
    }

    public JsonObject? TryGet(ResourceKind kind, string? ns, string name)
    {
        lock (_gate)
        {
            return Table(kind).Items.TryGetValue(ObjectMeta.Key(Scope(kind, ns), name), out var obj) ? obj.DeepCopy() : null;
        }
    }

    /// <summary>
    /// What <paramref name="read"/> takes from every stored object of a kind, in key order, without copying the
    /// objects (a controller's start-up scan of 10,000 objects needs a few fields of each, not 10,000 deep copies).
    /// <paramref name="read"/> runs under the store's lock and must neither change the object nor keep it.
    /// </summary>
    public IReadOnlyList<T> Select<T>(ResourceKind kind, Func<JsonObject, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            var table = Table(kind);
            return [.. table.SortedKeys().Select(key => read(table.Items[key]))];
        }
    }

    public JsonObject Get(ResourceKind kind, string? ns, string name) => TryGet(kind, ns, name) ?? throw ApiException.NotFound(kind, name);

    /// <summary>Whether an object with this uid is stored (the garbage collector's owner check).</summary>
    public bool UidExists(string uid)
    {
        lock (_gate)
        {
            return _byUid.ContainsKey(uid);
        }
    }

    /// <summary>The stored object with this uid, if any.</summary>
    public (ResourceKind Kind, JsonObject Object)? TryGetByUid(string uid)
    {
        lock (_gate)
        {
            if (!_byUid.TryGetValue(uid, out var at) || !Table(at.Kind).Items.TryGetValue(at.Key, out var obj))
            {
                return null;
            }

            return (at.Kind, obj.DeepCopy());
        }
    }

    /// <summary>Objects of any kind with an ownerReference to <paramref name="ownerUid"/>.</summary>
    public IReadOnlyList<(ResourceKind Kind, JsonObject Object)> Dependents(string ownerUid)
    {
        lock (_gate)
        {
            var found = new List<(ResourceKind, JsonObject)>();
            foreach (var kind in Kinds.All)
            {
                foreach (var obj in Table(kind).Items.Values)
                {
                    if (obj.IsOwnedBy(ownerUid))
                    {
                        found.Add((kind, obj.DeepCopy()));
                    }
                }
            }

            return found;
        }
    }

    public ListResult List(ResourceKind kind, ListRequest request)
    {
        lock (_gate)
        {
            var (items, rv, next, remaining) = ListLocked(kind, request, static (_, _, obj) => obj.DeepCopy());
            return new ListResult(items, rv, next, remaining);
        }
    }

    /// <summary>
    /// A list page with every item as its cached UTF-8 JSON: no deep copies and no re-serialisation, which is what
    /// keeps listing 10,000 objects fast. Stored objects are never mutated after being stored, so the cache is exact.
    /// </summary>
    public RawListResult ListRaw(ResourceKind kind, ListRequest request)
    {
        lock (_gate)
        {
            // An item from an older snapshot is not the stored object any more, so its cached JSON does not apply.
            var (items, rv, next, remaining) = ListLocked(kind, request, static (table, key, obj) =>
                table.Items.TryGetValue(key, out var live) && ReferenceEquals(live, obj) ? table.JsonOf(key) : System.Text.Encoding.UTF8.GetBytes(obj.ToJsonString()));
            return new RawListResult(items, rv, next, remaining);
        }
    }

    /// <summary>Bounds for the consistent snapshots paged lists continue from (tests; defaults 64 and 5 minutes).</summary>
    public void LimitListSnapshots(int capacity, TimeSpan lifetime)
    {
        lock (_gate)
        {
            (_listSnapshots.Capacity, _listSnapshots.Lifetime) = (capacity, lifetime);
        }
    }

    private (List<T> Items, long ResourceVersion, string? Continue, long? Remaining) ListLocked<T>(ResourceKind kind, ListRequest request, Func<KindTable, string, JsonObject, T> select)
    {
        var table = Table(kind);
        var keys = table.SortedKeys();
        IReadOnlyDictionary<string, JsonObject> objects = table.Items;
        var start = 0;
        long listRv = _resourceVersion;
        var consistent = false;
        if (request.Continue is { Length: > 0 } token)
        {
            var (rv, lastKey) = ContinueToken.Decode(token);
            if (rv >= 0)
            {
                // Later pages come from the first page's snapshot; once it is gone the client must start over
                // or knowingly continue from the current state with the token in the 410.
                var snapshot = _listSnapshots.Find(kind.GroupResource, rv) ?? throw ContinueExpired(lastKey);
                (keys, objects, listRv, consistent) = (snapshot.Keys, snapshot.Items, rv, true);
            }

            start = UpperBound(keys, lastKey);
        }
        else if (kind.Namespaced && request.Namespace is { } ns)
        {
            start = LowerBound(keys, ns + "\0");
        }

        var prefix = kind.Namespaced && request.Namespace is { } only ? only + "\0" : null;
        var items = new List<T>();
        string? lastReturned = null;
        var i = start;
        for (; i < keys.Length; i++)
        {
            if (prefix is not null && !keys[i].StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            if (request.Limit > 0 && items.Count >= request.Limit)
            {
                break;
            }

            var obj = objects[keys[i]];
            if (request.Labels.IsEmpty && request.Fields.IsEmpty || request.Matches(obj.Namespace(), obj.Name(), obj.Labels()))
            {
                items.Add(select(table, keys[i], obj));
                lastReturned = keys[i];
            }
        }

        var more = i < keys.Length && (prefix is null || keys[i].StartsWith(prefix, StringComparison.Ordinal));
        var next = more && lastReturned is not null ? ContinueToken.Encode(listRv, lastReturned) : null;
        if (next is not null && !consistent)
        {
            _listSnapshots.Keep(kind.GroupResource, listRv, keys, table.Items);
        }

        long? remaining = null;
        if (next is not null && request.Labels.IsEmpty && request.Fields.IsEmpty)
        {
            remaining = prefix is null ? keys.Length - i : keys.Skip(i).TakeWhile(k => k.StartsWith(prefix, StringComparison.Ordinal)).LongCount();
        }

        return (items, listRv, next, remaining);
    }

    /// <summary>What the API server answers for a continue token older than its compacted revision (etcd3/errors.go).</summary>
    private static ApiException ContinueExpired(string lastKey) =>
        new(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
        {
            Continue = ContinueToken.Encode(-1, lastKey),
        };

    private static string? Scope(ResourceKind kind, string? ns) => kind.Namespaced ? ns : null;

    private KindTable Table(ResourceKind kind) =>
        _tables.TryGetValue(kind.GroupResource, out var table) ? table : throw ApiException.NotFound(kind, kind.Plural);

    private void StoreLoaded(ResourceKind kind, JsonObject obj, string now)
    {
        var meta = obj.Metadata();
        if (!kind.Namespaced)
        {
            meta.Remove("namespace");
        }

        meta["uid"] = meta.Str("uid") ?? Guid.NewGuid().ToString();
        meta["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        meta["creationTimestamp"] ??= now;
        if (KindRegistry.HasGeneration(kind))
        {
            meta["generation"] ??= 1;
        }

        var key = ObjectMeta.Key(obj.Namespace(), obj.Name());
        var table = Table(kind);
        if (table.Items.TryGetValue(key, out var existing))
        {
            _byUid.Remove(existing.Uid() ?? string.Empty);
        }

        table.Put(key, obj);
        _byUid[meta.Str("uid")!] = (kind, key);
    }

    private static int LowerBound(string[] keys, string value)
    {
        var index = Array.BinarySearch(keys, value, StringComparer.Ordinal);
        return index >= 0 ? index : ~index;
    }

    private static int UpperBound(string[] keys, string value)
    {
        var index = Array.BinarySearch(keys, value, StringComparer.Ordinal);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>One kind's objects. The sorted key array is cached and rebuilt only after creates/deletes.</summary>
    private sealed class KindTable
    {
        private readonly Dictionary<string, byte[]> _json = new(StringComparer.Ordinal);
        private string[]? _sorted;

        public Dictionary<string, JsonObject> Items { get; } = new(StringComparer.Ordinal);

        public void Put(string key, JsonObject obj)
        {
            if (!Items.ContainsKey(key))
            {
                _sorted = null;
            }

            Items[key] = obj;
            _json.Remove(key);
        }

        public void Remove(string key)
        {
            if (Items.Remove(key))
            {
                _sorted = null;
            }

            _json.Remove(key);
        }

        public byte[] JsonOf(string key)
        {
            if (!_json.TryGetValue(key, out var bytes))
            {
                bytes = System.Text.Encoding.UTF8.GetBytes(Items[key].ToJsonString());
                _json[key] = bytes;
            }

            return bytes;
        }

        public string[] SortedKeys()
        {
            if (_sorted is null)
            {
                _sorted = [.. Items.Keys];
                Array.Sort(_sorted, StringComparer.Ordinal);
            }

            return _sorted;
        }
    }
}
