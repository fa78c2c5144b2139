using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>Where a pod goes: the node it was bound to, or the scheduler's message for why no node would take it.</summary>
internal sealed record PodFit(string? NodeName, string? Message);

/// <summary>
/// First-fit scheduling over the nodes in name order, with kube-scheduler's filters in its order, each node stopping at
/// the first filter that rejects it: NodeUnschedulable, TaintToleration (NoSchedule/NoExecute taints), NodeAffinity
/// (nodeSelector only) and NodeResourcesFit (pod count, then each requested resource). No scoring, no preemption.
/// The message has kube-scheduler's shape (pkg/scheduler/framework/types.go FitError.Error, and the preemption
/// post-filter's FitError from pkg/scheduler/framework/preemption/preemption.go Evaluator.Preempt), e.g.
/// "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
/// </summary>
internal static class PodScheduler
{
    public const string NotHelpful = "Preemption is not helpful for scheduling";
    public const string NoVictims = "No preemption victims found for incoming pod";

    public static PodFit Fit(JsonObject pod, IReadOnlyList<NodeState> nodes)
    {
        var requests = PodRequests.Of(pod);
        var selector = (pod.At("spec", "nodeSelector") as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal) ?? [];
        var tolerations = (pod.At("spec", "tolerations") as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var filterReasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var preemptionReasons = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var (reasons, resolvable) = Filter(node, requests, selector, tolerations);
            if (reasons.Count == 0)
            {
                node.Add(requests);
                return new PodFit(node.Name, null);
            }

            foreach (var reason in reasons)
            {
                filterReasons[reason] = filterReasons.GetValueOrDefault(reason) + 1;
            }

            // Preemption only looks at nodes a filter rejected as resolvable (resources); with every pod at the same
            // priority it finds no victims there. The other nodes are reported as not helped by preemption.
            var preemption = resolvable ? NoVictims : NotHelpful;
            preemptionReasons[preemption] = preemptionReasons.GetValueOrDefault(preemption) + 1;
        }

        return new PodFit(null, $"{Available(nodes.Count, filterReasons)} preemption: {Available(nodes.Count, preemptionReasons)}");
    }

    /// <summary>"0/N nodes are available: &lt;count reason, ...&gt;." with the histogram sorted as Go's sort.Strings sorts it.</summary>
    private static string Available(int nodes, Dictionary<string, int> reasons) =>
        $"0/{nodes} nodes are available: {string.Join(", ", reasons.Select(r => $"{r.Value} {r.Key}").Order(StringComparer.Ordinal))}.";

    private static (List<string> Reasons, bool Resolvable) Filter(NodeState node, Dictionary<string, long> requests, Dictionary<string, string> selector, List<JsonObject> tolerations)
    {
        if (node.Unschedulable && !tolerations.Any(t => Tolerates(t, "node.kubernetes.io/unschedulable", null, "NoSchedule")))
        {
            return (["node(s) were unschedulable"], false);
        }

        foreach (var taint in node.Taints.Where(t => t.Str("effect") is "NoSchedule" or "NoExecute"))
        {
            if (!tolerations.Any(t => Tolerates(t, taint.Str("key") ?? string.Empty, taint.Str("value"), taint.Str("effect")!)))
            {
                return ([$"node(s) had untolerated taint {{{taint.Str("key")}: {taint.Str("value")}}}"], false);
            }
        }

        if (selector.Any(s => node.Labels.GetValueOrDefault(s.Key) != s.Value))
        {
            return (["node(s) didn't match Pod's node affinity/selector"], false);
        }

        // NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go): pod count first, then cpu, memory,
        // ephemeral-storage and the extended resources; only resources the pod requests are checked.
        var reasons = new List<string>();
        if (node.Pods + 1 > node.AllowedPods)
        {
            reasons.Add("Too many pods");
        }

        var ordered = requests.Keys.OrderBy(r => r switch { "cpu" => 0, "memory" => 1, "ephemeral-storage" => 2, _ => 3 }).ThenBy(r => r, StringComparer.Ordinal);
        foreach (var resource in ordered.Where(r => r != "pods" && requests[r] > 0))
        {
            if (requests[resource] > node.Free(resource))
            {
                reasons.Add($"Insufficient {resource}");
            }
        }

        return (reasons, true);
    }

    /// <summary>core/v1 Toleration.ToleratesTaint: effect (empty = all), key (empty with Exists = all), operator Exists or Equal.</summary>
    private static bool Tolerates(JsonObject toleration, string key, string? value, string effect)
    {
        var tolerationEffect = toleration.Str("effect");
        if (!string.IsNullOrEmpty(tolerationEffect) && tolerationEffect != effect)
        {
            return false;
        }

        var tolerationKey = toleration.Str("key");
        if (!string.IsNullOrEmpty(tolerationKey) && tolerationKey != key)
        {
            return false;
        }

        return toleration.Str("operator") switch
        {
            "Exists" => true,
            null or "" or "Equal" => !string.IsNullOrEmpty(tolerationKey) && (toleration.Str("value") ?? string.Empty) == (value ?? string.Empty),
            _ => false,
        };
    }
}
