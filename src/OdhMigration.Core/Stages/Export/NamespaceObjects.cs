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

    private Dictionary<string, JsonObject>? _isvcsByName;
    private Dictionary<string, JsonObject>? _runtimesByName;
    private Dictionary<string, JsonObject>? _secretsByName;

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

        return new NamespaceObjects(
            ns,
            await cluster.GetAsync(Kinds.Namespace, null, ns, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.InferenceService, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.ServingRuntime, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.ServiceAccount, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.Role, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.RoleBinding, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.Secret, ns, null, ct).ConfigureAwait(false))
        {
            PersistentVolumeClaims = await cluster.ListAsync(Kinds.PersistentVolumeClaim, ns, null, ct).ConfigureAwait(false),
            Pods = pods,
        };
    }

    private static JsonObject? Lookup(ref Dictionary<string, JsonObject>? index, IReadOnlyList<JsonObject> objects, string name)
    {
        index ??= objects.GroupBy(o => o.Name(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return index.GetValueOrDefault(name);
    }
}
