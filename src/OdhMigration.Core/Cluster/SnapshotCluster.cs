using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>
/// An offline, read-only cluster backed by snapshot files. Objects are kept as compact UTF-8 JSON and parsed for
/// every read, so each caller gets its own copy (as from a live list) and a 10,000-ISVC snapshot costs tens of
/// megabytes instead of hundreds: parsed nodes materialise lazily, only the parts a stage reads.
/// </summary>
public sealed class SnapshotCluster : IClusterReader
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly Dictionary<ResourceKind, List<StoredObject>> _byKind = [];
    private readonly Dictionary<(ResourceKind Kind, string? Namespace, string Name), StoredObject> _byKey = [];

    public SnapshotCluster(IEnumerable<SnapshotObject> objects, string description)
        : this(objects.Select(o => (o.Kind, StoredObject.From(o.Object))), description)
    {
    }

    private SnapshotCluster(IEnumerable<(ResourceKind Kind, StoredObject Stored)> objects, string description)
    {
        Description = description;
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, stored) in objects)
        {
            if (!_byKind.TryGetValue(kind, out var list))
            {
                _byKind[kind] = list = [];
            }

            list.Add(stored);
            _byKey.TryAdd((kind, kind.Namespaced ? stored.Namespace : null, stored.Name), stored); // the first wins, as a scan would find it
            if (stored.Namespace is not null)
            {
                namespaces.Add(stored.Namespace);
            }
        }

        ImplicitNamespaces = namespaces;
    }

    public string Description { get; }

    public string BackingType => "snapshot";

    /// <summary>Namespaces that hold at least one object, even when the snapshot has no Namespace object for them.</summary>
    public IReadOnlySet<string> ImplicitNamespaces { get; }

    /// <summary>Loads a snapshot file or folder; each object is compacted as soon as it is read.</summary>
    public static SnapshotCluster Load(string path) =>
        new(SnapshotLoader.Resolve(SnapshotLoader.ReadDocuments(path), null, StoredObject.From).Select(r => (r.Kind, r.Value)), $"snapshot {path}");

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var selector = LabelSelector.Parse(labelSelector);
        IReadOnlyList<JsonObject> items = Objects(kind)
            .Where(o => ns is null || !kind.Namespaced || o.Namespace == ns)
            .Where(o => selector.Matches(o.Labels))
            .Select(o => o.Parse())
            .ToList();
        if (kind == Kinds.Namespace)
        {
            items = WithImplicitNamespaces(items, selector);
        }

        return Task.FromResult(items);
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var found = _byKey.GetValueOrDefault((kind, kind.Namespaced ? ns : null, name))?.Parse();
        if (found is null && kind == Kinds.Namespace && ImplicitNamespaces.Contains(name))
        {
            found = Manifest.NewObject(Kinds.Namespace, name, null);
        }

        return Task.FromResult(found);
    }

    private IReadOnlyList<JsonObject> WithImplicitNamespaces(IReadOnlyList<JsonObject> explicitItems, LabelSelector selector)
    {
        var names = explicitItems.Select(o => o.Name()).ToHashSet(StringComparer.Ordinal);
        var all = explicitItems.ToList();
        foreach (var ns in ImplicitNamespaces.Order(StringComparer.Ordinal))
        {
            var implicitNs = Manifest.NewObject(Kinds.Namespace, ns, null);
            if (!names.Contains(ns) && selector.Matches(implicitNs.Labels()))
            {
                all.Add(implicitNs);
            }
        }

        return all;
    }

    private List<StoredObject> Objects(ResourceKind kind) =>
        _byKind.TryGetValue(kind, out var list) ? list : [];

    /// <summary>What filtering needs without parsing, and the object itself as compact JSON.</summary>
    private sealed record StoredObject(string? Namespace, string Name, IReadOnlyDictionary<string, string> Labels, byte[] Json)
    {
        public static StoredObject From(JsonObject obj)
        {
            var labels = obj.Labels();
            return new StoredObject(obj.Namespace(), obj.Name(), labels.Count == 0 ? NoLabels : labels, obj.ToCompactUtf8());
        }

        public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
    }
}
