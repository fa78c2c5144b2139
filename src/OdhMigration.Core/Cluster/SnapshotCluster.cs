using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>An offline, read-only cluster backed by snapshot files.</summary>
public sealed class SnapshotCluster : IClusterReader
{
    private readonly Dictionary<ResourceKind, List<JsonObject>> _byKind;

    public SnapshotCluster(IEnumerable<SnapshotObject> objects, string description)
    {
        Description = description;
        _byKind = objects.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Select(o => o.Object).ToList());
        ImplicitNamespaces = _byKind.Values.SelectMany(v => v).Select(o => o.Namespace()).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    public string Description { get; }

    public string BackingType => "snapshot";

    /// <summary>Namespaces that hold at least one object, even when the snapshot has no Namespace object for them.</summary>
    public IReadOnlySet<string> ImplicitNamespaces { get; }

    public static SnapshotCluster Load(string path) => new(SnapshotLoader.Load(path), $"snapshot {path}");

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var selector = LabelSelector.Parse(labelSelector);
        IReadOnlyList<JsonObject> items = Objects(kind)
            .Where(o => ns is null || !kind.Namespaced || o.Namespace() == ns)
            .Where(o => selector.Matches(o.Labels()))
            .Select(o => o.DeepCopy())
            .ToList();
        if (kind == Kinds.Namespace)
        {
            items = WithImplicitNamespaces(items, selector);
        }

        return Task.FromResult(items);
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var found = Objects(kind).FirstOrDefault(o => o.Name() == name && (!kind.Namespaced || o.Namespace() == ns));
        if (found is null && kind == Kinds.Namespace && ImplicitNamespaces.Contains(name))
        {
            found = Manifest.NewObject(Kinds.Namespace, name, null);
        }

        return Task.FromResult(found?.DeepCopy());
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

    private List<JsonObject> Objects(ResourceKind kind) =>
        _byKind.TryGetValue(kind, out var list) ? list : [];
}
