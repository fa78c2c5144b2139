using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// Collects capacity.json while export walks the namespaces: each selected ISVC's demand, each namespace's
/// ResourceQuotas and LimitRanges, and at the end the cluster's nodes and pods. Nothing here fails export: what cannot be read or
/// parsed becomes a warning (and, for the cluster, Readable false with the reason).
/// </summary>
public sealed class CapacityReader(IClusterReader cluster, IStageLog log)
{
    /// <summary>The optional grant that lets export read nodes and all pods (tekton/rbac/optional/).</summary>
    public const string ClusterGrantFile = "tekton/rbac/optional/cluster-capacity.yaml";

    private readonly List<ItemDemand> _items = [];
    private readonly List<NamespaceQuota> _quotas = [];
    private readonly List<NamespaceLimitRange> _limitRanges = [];
    private StorageInitializerSettings? _storageInitializer;

    public List<string> Warnings { get; } = [];

    /// <summary>
    /// The storageInitializer settings of the inferenceservice-config ConfigMap in <paramref name="applicationsNamespace"/>,
    /// which size the init container KServe injects into every predictor pod with a storageUri. Call before
    /// <see cref="AddDemand"/>. When they cannot be read, KServe's upstream defaults are used, with a warning: ODH's
    /// own value (memoryLimit 24Gi in ODH 2.x) may be higher, so limits.memory quotas may be under-counted.
    /// </summary>
    public async Task ReadStorageInitializerAsync(string? applicationsNamespace, CancellationToken ct)
    {
        var name = Modes.ClusterDefaultsReader.ConfigMapName;
        string why;
        try
        {
            var configMap = applicationsNamespace is null ? null : await cluster.GetAsync(Kinds.ConfigMap, applicationsNamespace, name, ct).ConfigureAwait(false);
            var warnings = new List<string>();
            if (configMap is not null && StorageInitializer.FromConfigMap(configMap, warnings) is { } settings)
            {
                _storageInitializer = settings;
                return;
            }

            why = warnings.FirstOrDefault() ?? $"ConfigMap {name} not found in {applicationsNamespace ?? "(no applications namespace)"}";
        }
        catch (ClusterException ex)
        {
            why = $"ConfigMap {applicationsNamespace}/{name} could not be read: {PlainErrors.Describe(ex)}";
        }

        _storageInitializer = StorageInitializer.Defaults(why);
        Warn($"{why}: the storage-initializer KServe injects is counted at KServe's defaults (memory limit 1Gi); ODH's value may be higher (24Gi in ODH 2.x), so limits.memory quotas may be under-counted");
    }

    /// <summary>The demand of each item of one namespace; its objects are the ones export already listed.</summary>
    public void AddDemand(NamespaceObjects objects, IEnumerable<InventoryItem> items)
    {
        // Pods grouped once per namespace: each listing read parses a fresh copy, so filtering per item would parse
        // every pod once per ISVC.
        var podsByIsvc = objects.Pods?
            .Where(p => p.Label(DemandCalculator.IsvcPodLabel) is not null)
            .GroupBy(p => p.Label(DemandCalculator.IsvcPodLabel)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JsonObject>)g.ToList(), StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (objects.Isvc(item.Name) is not { } isvc)
            {
                continue; // export records the item as failed; there is nothing to size
            }

            var runtime = item.Facts.Runtime is { } name ? objects.Runtime(name) : null;
            try
            {
                _items.Add(DemandCalculator.Compute(new DemandInput(isvc, item.Mode, item.Facts.Runtime, runtime, podsByIsvc is null ? null : podsByIsvc.GetValueOrDefault(item.Name) ?? [], _storageInitializer)));
            }
            catch (QuantityException ex)
            {
                Warn($"{item.Namespace}/{item.Name}: what its replacement requests is unknown: {ex.Message}");
                _items.Add(new ItemDemand { Namespace = item.Namespace, Name = item.Name, Runtime = item.Facts.Runtime, OriginalCanBeStopped = item.Mode == Modes.DeploymentMode.Serverless, Notes = [ex.Message] });
            }
        }
    }

    /// <summary>The namespace's ResourceQuotas; a namespace whose quotas may not be listed gets a warning.</summary>
    public async Task AddQuotasAsync(string ns, CancellationToken ct)
    {
        IReadOnlyList<JsonObject> quotas;
        try
        {
            quotas = await cluster.ListAsync(Kinds.ResourceQuota, ns, null, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex)
        {
            Warn($"namespace {ns}: ResourceQuotas could not be listed ({PlainErrors.Describe(ex)}); its quota limits are unknown to wave planning");
            return;
        }

        foreach (var quota in quotas.OrderBy(q => q.Name(), StringComparer.Ordinal))
        {
            try
            {
                _quotas.Add(Quotas.From(quota));
            }
            catch (QuantityException ex)
            {
                Warn($"{ex.Message}; the quota is not recorded");
            }
        }
    }

    /// <summary>
    /// The namespace's LimitRanges (their Container defaults, which admission fills into a container that states no
    /// value); optional like the quotas: a namespace whose LimitRanges may not be listed gets a warning.
    /// </summary>
    public async Task AddLimitRangesAsync(string ns, CancellationToken ct)
    {
        IReadOnlyList<JsonObject> ranges;
        try
        {
            ranges = await cluster.ListAsync(Kinds.LimitRange, ns, null, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex)
        {
            Warn($"namespace {ns}: LimitRanges could not be listed ({PlainErrors.Describe(ex)}); the defaults they give containers are unknown to wave planning");
            return;
        }

        foreach (var range in ranges.OrderBy(r => r.Name(), StringComparer.Ordinal))
        {
            try
            {
                if (LimitRanges.From(range) is { } defaults)
                {
                    _limitRanges.Add(defaults);
                }
            }
            catch (QuantityException ex)
            {
                Warn($"{ex.Message}; the LimitRange is not recorded");
            }
        }
    }

    /// <summary>Nodes and pods of the whole cluster; unreadable (with the reason) when the account may not list them or there are none.</summary>
    public async Task<ClusterCapacity> ReadClusterAsync(CancellationToken ct)
    {
        IReadOnlyList<JsonObject> nodes;
        IReadOnlyList<JsonObject> pods;
        try
        {
            nodes = await cluster.ListAsync(Kinds.Node, null, null, ct).ConfigureAwait(false);
            if (nodes.Count == 0)
            {
                return Unreadable(cluster.BackingType == "snapshot" ? "the snapshot holds no Node objects" : "the API server listed no nodes");
            }

            pods = await cluster.ListAsync(Kinds.Pod, null, null, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (ex.IsForbidden)
        {
            return Unreadable($"forbidden: the account may not list nodes and pods in all namespaces ({PlainErrors.Describe(ex)}); bind {ClusterGrantFile} to let export read them");
        }
        catch (ClusterException ex)
        {
            return Unreadable($"nodes or pods could not be listed: {PlainErrors.Describe(ex)}");
        }

        var warnings = new List<string>();
        // Per node only the labels a selected component's node selector names: enough to place it, and small.
        var labelKeys = _items.SelectMany(i => i.Components).SelectMany(c => c.NodeSelector.Keys).ToHashSet(StringComparer.Ordinal);
        var pools = CapacityPools.Build(nodes, pods, warnings, labelKeys);
        warnings.ForEach(Warn);
        return pools.Count == 0
            ? Unreadable("no node is schedulable (all are cordoned or unreadable)")
            : new ClusterCapacity { Readable = true, Pools = pools };
    }

    public CapacityReport Report(DateTimeOffset generatedAt, SourceInfo source, ConsumedDocument consumed, ClusterCapacity clusterCapacity) => new()
    {
        GeneratedAt = generatedAt,
        Source = source,
        Consumed = [consumed],
        Items = [.. _items.OrderBy(i => i.Namespace, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)],
        Quotas = _quotas,
        LimitRanges = _limitRanges,
        Cluster = clusterCapacity,
        StorageInitializer = _storageInitializer,
        Warnings = Warnings,
    };

    private ClusterCapacity Unreadable(string reason)
    {
        Warn($"cluster capacity is unknown: {reason}; waves can only be planned by size (--wave-size)");
        return new ClusterCapacity { Readable = false, Reason = reason };
    }

    private void Warn(string message)
    {
        Warnings.Add(message);
        log.Warn(message);
    }
}
