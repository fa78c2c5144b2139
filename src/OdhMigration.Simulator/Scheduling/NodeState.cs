using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>One node as the scheduler sees it: what it offers (status.allocatable) and what its bound pods request.</summary>
internal sealed class NodeState
{
    private NodeState(JsonObject node)
    {
        Name = node.Name();
        Labels = node.Labels();
        Unschedulable = node.At("spec", "unschedulable")?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        Taints = (node.At("spec", "taints") as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var (resource, value) in (node.At("status", "allocatable") as JsonObject ?? []))
        {
            if (Quantity.Parse(value?.ToString()) is { } parsed)
            {
                Allocatable[resource] = Quantity.Scaled(resource, parsed);
            }
        }
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public bool Unschedulable { get; }

    public IReadOnlyList<JsonObject> Taints { get; }

    public Dictionary<string, long> Allocatable { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Requested { get; } = new(StringComparer.Ordinal);

    public int Pods { get; private set; }

    /// <summary>Nodes in name order with the requests of the pods bound to them that still hold resources.</summary>
    public static List<NodeState> Build(IEnumerable<JsonObject> nodes, IEnumerable<JsonObject> pods)
    {
        var states = nodes.Select(n => new NodeState(n)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var byName = states.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.At("spec").Str("nodeName") is { Length: > 0 } nodeName && HoldsResources(pod) && byName.TryGetValue(nodeName, out var node))
            {
                node.Add(PodRequests.Of(pod));
            }
        }

        return states;
    }

    /// <summary>A pod holds its node's resources until it has terminated (phase Succeeded or Failed) or is gone.</summary>
    public static bool HoldsResources(JsonObject pod) => pod.At("status").Str("phase") is not ("Succeeded" or "Failed");

    public void Add(IReadOnlyDictionary<string, long> requests)
    {
        Pods++;
        foreach (var (resource, value) in requests)
        {
            Requested[resource] = Requested.GetValueOrDefault(resource) + value;
        }
    }

    /// <summary>What is left of a resource; a resource the node does not list has none.</summary>
    public long Free(string resource) => Allocatable.GetValueOrDefault(resource) - Requested.GetValueOrDefault(resource);

    /// <summary>How many pods the node accepts: allocatable pods, or 110 (the kubelet's default) when it is not given.</summary>
    public long AllowedPods => Allocatable.TryGetValue("pods", out var pods) ? pods : 110;
}
