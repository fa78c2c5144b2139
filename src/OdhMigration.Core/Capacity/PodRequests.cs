using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// What a pod asks the scheduler for, as Kubernetes counts it: the sum over its containers (and sidecar init
/// containers, restartPolicy Always), or the largest ordinary init container where that is more, plus spec.overhead.
/// </summary>
public static class PodRequests
{
    /// <summary>Phases whose pods no longer hold anything on their node.</summary>
    public static bool IsTerminated(JsonObject pod) => pod.At("status").Str("phase") is "Succeeded" or "Failed";

    public static Dictionary<string, decimal> Of(JsonObject pod)
    {
        var where = $"Pod {pod.Namespace()}/{pod.Name()}";
        return OfSpec(pod["spec"] as JsonObject ?? [], where);
    }

    /// <summary>
    /// What a pod counts under limits.* quotas, as Kubernetes sums it (pkg/api/v1/resource PodLimits): the containers'
    /// limits, or the largest init container's where that is more, plus spec.overhead for the resources limited.
    /// </summary>
    public static Dictionary<string, decimal> LimitsOf(JsonObject pod)
    {
        var where = $"Pod {pod.Namespace()}/{pod.Name()}";
        var spec = pod["spec"] as JsonObject ?? [];
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (container, field) in Containers(spec, "initContainers"))
        {
            var limits = Requirements.Parse(container["resources"], $"{where}: {field}.resources").Limits;
            if (container.Str("restartPolicy") == "Always")
            {
                Amounts.AddInto(total, limits);
            }
            else
            {
                Amounts.MaxInto(initPeak, limits);
            }
        }

        foreach (var (container, field) in Containers(spec, "containers"))
        {
            Amounts.AddInto(total, Requirements.Parse(container["resources"], $"{where}: {field}.resources").Limits);
        }

        Amounts.MaxInto(total, initPeak);
        if (spec["overhead"] is JsonObject overhead)
        {
            Amounts.AddInto(total, Requirements.ParseMap(overhead, $"{where}: spec.overhead").Where(o => total.ContainsKey(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));
        }

        return total;
    }

    /// <summary>The requests of a pod spec (a Pod's spec, or the spec a controller will create pods from).</summary>
    public static Dictionary<string, decimal> OfSpec(JsonObject spec, string where)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (container, field) in Containers(spec, "initContainers"))
        {
            var requests = Requirements.Parse(container["resources"], $"{where}: {field}.resources").Requests();
            if (container.Str("restartPolicy") == "Always")
            {
                Amounts.AddInto(total, requests);
            }
            else
            {
                Amounts.MaxInto(initPeak, requests);
            }
        }

        foreach (var (container, field) in Containers(spec, "containers"))
        {
            Amounts.AddInto(total, Requirements.Parse(container["resources"], $"{where}: {field}.resources").Requests());
        }

        Amounts.MaxInto(total, initPeak);
        if (spec["overhead"] is JsonObject overhead)
        {
            Amounts.AddInto(total, Requirements.ParseMap(overhead, $"{where}: spec.overhead"));
        }

        return total;
    }

    private static IEnumerable<(JsonObject Container, string Field)> Containers(JsonObject spec, string key) =>
        (spec[key] as JsonArray ?? []).Select((c, i) => (c as JsonObject, $"spec.{key}[{i}]")).Where(c => c.Item1 is not null).Select(c => (c.Item1!, c.Item2));
}
