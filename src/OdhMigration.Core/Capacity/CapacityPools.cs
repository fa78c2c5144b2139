using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// The cluster's schedulable capacity from its nodes and pods: schedulable nodes grouped into pools by GPU product
/// (nvidia.com/gpu.product, "default" without one) and by the NoSchedule/NoExecute taints they carry; per pool the
/// nodes' allocatable, what the non-terminated pods bound to them request, and the difference.
/// </summary>
public static class CapacityPools
{
    public const string GpuProductLabel = "nvidia.com/gpu.product";
    public const string DefaultPool = "default";

    /// <summary>The allocatable key that counts pods, not an amount: each bound pod requests one.</summary>
    public const string PodsResource = "pods";

    /// <param name="labelKeys">The node labels to record per node (those some component's node selector names); the GPU product is the pool's.</param>
    public static List<CapacityPool> Build(IReadOnlyList<JsonObject> nodes, IReadOnlyList<JsonObject> pods, List<string> warnings, IReadOnlySet<string>? labelKeys = null)
    {
        var nodeLabels = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var pools = new SortedDictionary<string, PoolBuilder>(StringComparer.Ordinal);
        var poolOfNode = new Dictionary<string, PoolBuilder>(StringComparer.Ordinal);
        foreach (var node in nodes.OrderBy(n => n.Name(), StringComparer.Ordinal))
        {
            if (node.At("spec", "unschedulable") is JsonValue cordoned && cordoned.ToJsonString() == "true")
            {
                warnings.Add($"node {node.Name()} is cordoned (spec.unschedulable): its capacity is not counted");
                continue;
            }

            Dictionary<string, decimal> allocatable;
            try
            {
                allocatable = Requirements.ParseMap(node.At("status", "allocatable"), $"Node {node.Name()}: status.allocatable");
            }
            catch (QuantityException ex)
            {
                warnings.Add($"{ex.Message}; the node is not counted");
                continue;
            }

            var product = node.Label(GpuProductLabel);
            var taints = Taints(node);
            var key = (product ?? DefaultPool) + (taints.Count == 0 ? "" : " tainted " + string.Join(",", taints));
            if (!pools.TryGetValue(key, out var pool))
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (product is not null)
                {
                    labels[GpuProductLabel] = product;
                }

                pools[key] = pool = new PoolBuilder(key, labels, taints);
            }

            pool.Nodes.Add(node.Name());
            var named = node.Labels().Where(l => labelKeys?.Contains(l.Key) == true && l.Key != GpuProductLabel).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
            if (named.Count > 0)
            {
                nodeLabels[node.Name()] = named.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            }

            Amounts.AddInto(pool.Allocatable, allocatable);
            pool.NodeAllocatable[node.Name()] = allocatable;
            pool.NodeRequested[node.Name()] = new(StringComparer.Ordinal);
            poolOfNode[node.Name()] = pool;
        }

        foreach (var pod in pods)
        {
            if (PodRequests.IsTerminated(pod) || pod.At("spec").Str("nodeName") is not { } nodeName || !poolOfNode.TryGetValue(nodeName, out var pool))
            {
                continue;
            }

            var onNode = pool.NodeRequested[nodeName];
            try
            {
                var requests = PodRequests.Of(pod);
                Amounts.AddInto(pool.Requested, requests);
                Amounts.AddInto(onNode, requests);
            }
            catch (QuantityException ex)
            {
                warnings.Add($"{ex.Message}; its requests are not counted on node {nodeName}");
            }

            pool.Requested[PodsResource] = pool.Requested.GetValueOrDefault(PodsResource) + 1;
            onNode[PodsResource] = onNode.GetValueOrDefault(PodsResource) + 1;
        }

        return [.. pools.Values.Select(p => p.Build(nodeLabels))];
    }

    private static List<string> Taints(JsonObject node) =>
        (node.At("spec", "taints") as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t.Str("effect") is "NoSchedule" or "NoExecute")
            .Select(t => $"{t.Str("key")}{(t.Str("value") is { Length: > 0 } v ? "=" + v : "")}:{t.Str("effect")}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private sealed record PoolBuilder(string Key, Dictionary<string, string> Labels, List<string> Taints)
    {
        public List<string> Nodes { get; } = [];
        public Dictionary<string, decimal> Allocatable { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, decimal> Requested { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, decimal>> NodeAllocatable { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, decimal>> NodeRequested { get; } = new(StringComparer.Ordinal);

        public CapacityPool Build(Dictionary<string, Dictionary<string, string>> nodeLabels) =>
            new(Key, Labels, Nodes, Amounts.Sorted(Allocatable), Amounts.Sorted(Requested), Amounts.Sorted(Amounts.Free(Allocatable, Requested)))
            {
                Taints = Taints,
                PerNode = [.. Nodes.Select(n => new NodeCapacity(n, Amounts.Sorted(NodeAllocatable[n]), Amounts.Sorted(Amounts.Free(NodeAllocatable[n], NodeRequested[n]))) { Labels = nodeLabels.GetValueOrDefault(n) })],
            };
    }
}
