using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Export;

/// <summary>Everything export needs from one namespace, listed once per kind (so requests do not grow with the number of ISVCs).</summary>
public sealed record NamespaceObjects(
    string Namespace,
    JsonObject? NamespaceObject,
    IReadOnlyList<JsonObject> InferenceServices,
    IReadOnlyList<JsonObject> ServingRuntimes,
    IReadOnlyList<JsonObject> ServiceAccounts,
    IReadOnlyList<JsonObject> Roles,
    IReadOnlyList<JsonObject> RoleBindings,
    IReadOnlyList<JsonObject> Secrets)
{
    public IReadOnlyList<JsonObject> PersistentVolumeClaims { get; init; } = [];

    /// <summary>Pods, only to say which mount which claim; null when they could not be listed.</summary>
    public IReadOnlyList<JsonObject>? Pods { get; init; }

    private Dictionary<string, int>? _isvcsByName;
    private Dictionary<string, int>? _runtimesByName;
    private Dictionary<string, int>? _secretsByName;

    public JsonObject? Isvc(string name) => Lookup(ref _isvcsByName, InferenceServices, name);

    public JsonObject? Runtime(string name) => Lookup(ref _runtimesByName, ServingRuntimes, name);

    public JsonObject? Secret(string name) => Lookup(ref _secretsByName, Secrets, name);

    public static async Task<NamespaceObjects> ListAsync(IClusterReader cluster, string ns, bool withPods, CancellationToken ct)
    {
        IReadOnlyList<JsonObject>? pods = null;
        if (withPods)
        {
            try
            {
                pods = await cluster.ListAsync(Kinds.Pod, ns, null, ct).ConfigureAwait(false);
            }
            catch (ClusterException ex) when (ex.IsForbidden)
            {
                // Pods only enrich pvcs.yaml (which pods mount a claim); their absence is reported there.
            }
        }

        // Each listing is compacted as soon as it arrives, so only one kind's parsed list exists at a time.
        async Task<IReadOnlyList<JsonObject>> List(ResourceKind kind) =>
            CompactObjects.From(await cluster.ListAsync(kind, ns, null, ct).ConfigureAwait(false));

        return new NamespaceObjects(
            ns,
            await cluster.GetAsync(Kinds.Namespace, null, ns, ct).ConfigureAwait(false),
            await List(Kinds.InferenceService).ConfigureAwait(false),
            await List(Kinds.ServingRuntime).ConfigureAwait(false),
            await List(Kinds.ServiceAccount).ConfigureAwait(false),
            await List(Kinds.Role).ConfigureAwait(false),
            await List(Kinds.RoleBinding).ConfigureAwait(false),
            await List(Kinds.Secret).ConfigureAwait(false))
        {
            PersistentVolumeClaims = await List(Kinds.PersistentVolumeClaim).ConfigureAwait(false),
            Pods = pods is null ? null : CompactObjects.From(pods),
        };
    }

    /// <summary>The first object of that name; the index holds positions, so a lookup returns a fresh copy.</summary>
    private static JsonObject? Lookup(ref Dictionary<string, int>? index, IReadOnlyList<JsonObject> objects, string name)
    {
        if (index is null)
        {
            var built = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < objects.Count; i++)
            {
                built.TryAdd(objects[i].Name(), i);
            }

            index = built;
        }

        return index.TryGetValue(name, out var position) ? objects[position] : null;
    }
}
