using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// What a pod asks the scheduler for: per resource, the sum over its containers of requests, where a container that
/// sets only a limit requests the limit (the API server's defaulting). Init containers, pod overhead and pod-level
/// resources are not counted (the pods the simulator creates have none).
/// </summary>
internal static class PodRequests
{
    public static Dictionary<string, long> Of(JsonObject pod)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in (pod.At("spec", "containers") as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            foreach (var (resource, value) in ContainerRequests(container["resources"] as JsonObject))
            {
                total[resource] = total.GetValueOrDefault(resource) + Quantity.Scaled(resource, value);
            }
        }

        return total;
    }

    /// <summary>Requests with limits filled in for resources that have a limit and no request.</summary>
    public static IEnumerable<(string Resource, decimal Value)> ContainerRequests(JsonObject? resources)
    {
        var requests = resources?["requests"] as JsonObject;
        var limits = resources?["limits"] as JsonObject;
        var names = (requests?.Select(p => p.Key) ?? []).Union(limits?.Select(p => p.Key) ?? [], StringComparer.Ordinal);
        foreach (var name in names)
        {
            var value = Quantity.Parse(requests?[name]?.ToString()) ?? Quantity.Parse(limits?[name]?.ToString());
            if (value is { } v)
            {
                yield return (name, v);
            }
        }
    }
}
