using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// One change in the store. <see cref="Object"/> is the stored version itself (stored objects are never mutated: a
/// write stores a new one) or a private copy, and nobody mutates it, so many watchers may serialise it concurrently;
/// <see cref="Json"/> is rendered once and shared.
/// </summary>
public sealed class StoreEvent
{
    private readonly Lazy<string> _json;

    public StoreEvent(string type, ResourceKind kind, JsonObject obj, long resourceVersion, IReadOnlyDictionary<string, string>? previousLabels)
    {
        Type = type;
        Kind = kind;
        Object = obj;
        ResourceVersion = resourceVersion;
        Namespace = obj.Namespace();
        Name = obj.Name();
        Labels = obj.Labels();
        PreviousLabels = previousLabels;
        _json = new Lazy<string>(() => obj.ToJsonString(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>ADDED, MODIFIED or DELETED.</summary>
    public string Type { get; }

    public ResourceKind Kind { get; }

    public JsonObject Object { get; }

    public long ResourceVersion { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Labels before a MODIFIED change; lets a filtered watch turn it into ADDED/DELETED as the server does.</summary>
    public IReadOnlyDictionary<string, string>? PreviousLabels { get; }

    /// <summary>
    /// The stored object a MODIFIED replaced (never mutated): a filtered watch the object leaves gets DELETED with
    /// this last state it matched, as the watch cache sends it.
    /// </summary>
    public JsonObject? Previous { get; init; }

    public string Json => _json.Value;
}
