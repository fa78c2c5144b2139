using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// What a pod asks the scheduler for, as Kubernetes counts it (<see cref="PodTotals"/>): the sum over its containers
/// and sidecar init containers (restartPolicy Always), or an ordinary init container with the sidecars before it where
/// that is more, plus spec.overhead.
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
        var total = PodTotals.Sum(Entries(spec, where, r => r.Limits));
        if (spec["overhead"] is JsonObject overhead)
        {
            Amounts.AddInto(total, Requirements.ParseMap(overhead, $"{where}: spec.overhead").Where(o => total.ContainsKey(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));
        }

        return total;
    }

    /// <summary>The requests of a pod spec (a Pod's spec, or the spec a controller will create pods from).</summary>
    public static Dictionary<string, decimal> OfSpec(JsonObject spec, string where)
    {
        var total = PodTotals.Sum(Entries(spec, where, r => r.Requests()));
        if (spec["overhead"] is JsonObject overhead)
        {
            Amounts.AddInto(total, Requirements.ParseMap(overhead, $"{where}: spec.overhead"));
        }

        return total;
    }

    /// <summary>Init containers first, in their order (a sidecar counts for the init containers after it), then the app containers.</summary>
    private static IEnumerable<PodTotals.Entry> Entries(JsonObject spec, string where, Func<Requirements, IReadOnlyDictionary<string, decimal>> amounts) =>
        Containers(spec, "initContainers")
            .Select(c => new PodTotals.Entry(amounts(Requirements.Parse(c.Container["resources"], $"{where}: {c.Field}.resources")), InitKind(c.Container)))
            .Concat(Containers(spec, "containers").Select(c => new PodTotals.Entry(amounts(Requirements.Parse(c.Container["resources"], $"{where}: {c.Field}.resources")), null)))
            .ToList();

    /// <summary>An init container's kind: a sidecar when its restartPolicy is Always (it keeps running), else one that runs to completion.</summary>
    public static string InitKind(JsonObject initContainer) =>
        initContainer.Str("restartPolicy") == "Always" ? Workspace.Documents.ContainerDemand.SidecarKind : Workspace.Documents.ContainerDemand.InitKind;

    private static IEnumerable<(JsonObject Container, string Field)> Containers(JsonObject spec, string key) =>
        (spec[key] as JsonArray ?? []).Select((c, i) => (c as JsonObject, $"spec.{key}[{i}]")).Where(c => c.Item1 is not null).Select(c => (c.Item1!, c.Item2));
}
