using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// What one pod counts, from its containers, as Kubernetes sums it (k8s.io/component-helpers/resource, PodRequests and
/// PodLimits, AggregateContainerRequests): the app containers and the sidecars (init containers with restartPolicy
/// Always) add up; each ordinary init container counts with the sidecars started before it, and the pod asks for the
/// larger of the two per resource. Pod overhead is added by the caller where the pod has one.
/// </summary>
public static class PodTotals
{
    /// <summary>One container: its requests as the scheduler counts them (<see cref="Requirements.Requests"/>) or its limits, and its place in the pod.</summary>
    public readonly record struct Entry(IReadOnlyDictionary<string, decimal> Amounts, string? Init);

    /// <summary>Per resource: the app containers and sidecars summed, or the peak of an init container (with the sidecars before it) where that is more.</summary>
    public static Dictionary<string, decimal> Sum(IEnumerable<Entry> containers)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var sidecars = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (amounts, init) in containers)
        {
            switch (init)
            {
                case null:
                    Amounts.AddInto(total, amounts);
                    break;
                case ContainerDemand.SidecarKind:
                    Amounts.AddInto(total, amounts);
                    Amounts.AddInto(sidecars, amounts);
                    Amounts.MaxInto(initPeak, sidecars);
                    break;
                default:
                    var running = new Dictionary<string, decimal>(sidecars, StringComparer.Ordinal);
                    Amounts.AddInto(running, amounts);
                    Amounts.MaxInto(initPeak, running);
                    break;
            }
        }

        Amounts.MaxInto(total, initPeak);
        return total;
    }
}
