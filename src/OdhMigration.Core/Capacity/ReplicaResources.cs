using System.Globalization;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// One pod of a component as admission leaves it and the scheduler and quota count it: each container's requests (a
/// request it lacks defaults to its limit), the LimitRange defaults of the pod's namespace filled in where a container
/// states no value, summed as <see cref="PodTotals"/> sums them; and, per cpu/memory, the containers still stating no
/// limit or no request (a quota tracking them refuses such a pod).
/// </summary>
/// <param name="Requests">What one pod requests (every container, init containers as Kubernetes counts them).</param>
/// <param name="Limits">What one pod counts under limits.* quotas (only resources some container limits).</param>
/// <param name="Defaulted">What a LimitRange filled in, e.g. "container kserve-container: memory limit from LimitRange ml/defaults".</param>
public sealed record ReplicaResources(
    Dictionary<string, decimal> Requests,
    Dictionary<string, decimal> Limits,
    Dictionary<string, List<string>> WithoutLimits,
    Dictionary<string, List<string>> WithoutRequests,
    List<string> Defaulted)
{
    /// <summary>The resources a ResourceQuota makes every container state (requests, or limits under limits.*), as Kubernetes checks them.</summary>
    private static readonly string[] QuotaValidated = ["cpu", "memory"];

    /// <summary>
    /// <paramref name="limitRanges"/> are those of the namespace the pod is created in, applied in name order as the
    /// LimitRanger admission plugin applies each (plugin/pkg/admission/limitranger/admission.go, PodLimitFunc:
    /// defaultContainerResourceRequirements then mergePodResourceRequirements): to every container and init container,
    /// a limit it lacks takes the Container item's default, a request it lacks its defaultRequest. The API server has
    /// already defaulted a missing request to the container's own limit (the Pod defaults), so that comes first.
    /// </summary>
    public static ReplicaResources Of(IReadOnlyList<ContainerDemand> containers, IReadOnlyList<NamespaceLimitRange> limitRanges)
    {
        var requestEntries = new List<PodTotals.Entry>();
        var limitEntries = new List<PodTotals.Entry>();
        var withoutLimits = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var withoutRequests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var defaulted = new List<string>();
        // Init containers first, in their order (a sidecar counts for the init containers after it), then the app containers.
        var ordered = containers.Where(c => c.Init is not null).Select((c, i) => (Container: c, Label: Label(c, "initContainers", i)))
            .Concat(containers.Where(c => c.Init is null).Select((c, i) => (Container: c, Label: Label(c, "containers", i))));
        foreach (var (container, label) in ordered)
        {
            var requests = new Requirements(container.Requests, container.Limits).Requests();
            var limits = new Dictionary<string, decimal>(container.Limits, StringComparer.Ordinal);
            foreach (var range in limitRanges.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                var set = Fill(limits, range.Default).Select(r => $"{r} limit")
                    .Concat(Fill(requests, range.DefaultRequest).Select(r => $"{r} request")).ToList();
                if (set.Count > 0)
                {
                    defaulted.Add($"{(container.Init is null ? "container" : "init container")} {label}: {string.Join(", ", set)} from LimitRange {range.Namespace}/{range.Name}");
                }
            }

            requestEntries.Add(new(requests, container.Init));
            limitEntries.Add(new(limits, container.Init));
            // The quota admission plugin requires cpu/memory of every container and init container when a quota
            // tracks them (kubernetes pkg/quota/v1/evaluator/core/pods.go, Constraints and its validationSet).
            foreach (var resource in QuotaValidated)
            {
                if (!limits.ContainsKey(resource))
                {
                    Missing(withoutLimits, resource).Add(label);
                }

                if (!requests.ContainsKey(resource))
                {
                    Missing(withoutRequests, resource).Add(label);
                }
            }
        }

        return new(Amounts.Sorted(PodTotals.Sum(requestEntries)), Amounts.Sorted(PodTotals.Sum(limitEntries)), withoutLimits, withoutRequests, defaulted);
    }

    /// <summary>Sets each default the map lacks (a value the container states always wins); returns the resources set.</summary>
    private static List<string> Fill(Dictionary<string, decimal> values, IReadOnlyDictionary<string, decimal> defaults)
    {
        var set = new List<string>();
        foreach (var (resource, amount) in defaults.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (values.TryAdd(resource, amount))
            {
                set.Add(resource);
            }
        }

        return set;
    }

    private static string Label(ContainerDemand container, string field, int index) =>
        container.Name.Length > 0 ? container.Name : $"{field}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static List<string> Missing(Dictionary<string, List<string>> missing, string resource) =>
        missing.TryGetValue(resource, out var list) ? list : missing[resource] = [];
}
