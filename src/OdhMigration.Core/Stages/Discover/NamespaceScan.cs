using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>
/// The InferenceServices and ServingRuntimes in scope, each kind listed once (per namespace, or once cluster-wide
/// with --all-namespaces) and grouped in memory.
/// </summary>
public sealed record NamespaceScan(IReadOnlyList<string> Namespaces, IReadOnlyDictionary<string, List<JsonObject>> Isvcs, IReadOnlyDictionary<string, List<JsonObject>> Runtimes)
{
    /// <summary>ModelMesh Predictor objects per namespace (empty where the kind is not served).</summary>
    public IReadOnlyDictionary<string, List<JsonObject>> Predictors { get; init; } = new Dictionary<string, List<JsonObject>>();

    public IReadOnlyList<JsonObject> IsvcsIn(string ns) => Isvcs.TryGetValue(ns, out var list) ? list : [];

    public IReadOnlyList<JsonObject> RuntimesIn(string ns) => Runtimes.TryGetValue(ns, out var list) ? list : [];

    public static async Task<NamespaceScan> ReadAsync(IClusterReader cluster, DiscoverOptions options, CancellationToken cancellationToken)
    {
        if (options.AllNamespaces)
        {
            var isvcs = GroupByNamespace(await cluster.ListAsync(Kinds.InferenceService, null, null, cancellationToken).ConfigureAwait(false));
            var runtimes = GroupByNamespace(await cluster.ListAsync(Kinds.ServingRuntime, null, null, cancellationToken).ConfigureAwait(false));

            // Namespaces without InferenceServices have nothing to migrate.
            return new NamespaceScan(isvcs.Keys.Order(StringComparer.Ordinal).ToList(), isvcs, runtimes)
            {
                Predictors = GroupByNamespace(await PredictorsAsync(cluster, null, cancellationToken).ConfigureAwait(false)),
            };
        }

        var namespaces = options.Namespaces.Distinct(StringComparer.Ordinal).ToList();
        var isvcsByNs = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var runtimesByNs = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var predictorsByNs = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            if (await cluster.GetAsync(Kinds.Namespace, null, ns, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new UsageException($"--namespace {ns}: namespace '{ns}' does not exist ({cluster.Description})");
            }

            isvcsByNs[ns] = (await cluster.ListAsync(Kinds.InferenceService, ns, null, cancellationToken).ConfigureAwait(false)).ToList();
            runtimesByNs[ns] = (await cluster.ListAsync(Kinds.ServingRuntime, ns, null, cancellationToken).ConfigureAwait(false)).ToList();
            predictorsByNs[ns] = (await PredictorsAsync(cluster, ns, cancellationToken).ConfigureAwait(false)).ToList();
        }

        return new NamespaceScan(namespaces, isvcsByNs, runtimesByNs) { Predictors = predictorsByNs };
    }

    /// <summary>Predictors exist only where modelmesh-serving installed their CRD; elsewhere there are none.</summary>
    private static async Task<IReadOnlyList<JsonObject>> PredictorsAsync(IClusterReader cluster, string? ns, CancellationToken cancellationToken)
    {
        try
        {
            return await cluster.ListAsync(Kinds.Predictor, ns, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (ex.IsNotFound)
        {
            return [];
        }
    }

    private static Dictionary<string, List<JsonObject>> GroupByNamespace(IReadOnlyList<JsonObject> objects) =>
        objects.GroupBy(o => o.Namespace() ?? "", StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
}
