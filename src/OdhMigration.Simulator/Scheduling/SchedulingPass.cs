using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// What kube-scheduler (binding) and the kubelet (phase, conditions) do to pods, in one pass over the store: every pod
/// without a node is placed by <see cref="PodScheduler"/> or marked Unschedulable with its message. Writes only what
/// changed, so repeated passes settle.
/// </summary>
internal sealed class SchedulingPass(ObjectStore store, TimeProvider clock)
{
    private const string SchedulerManager = "default-scheduler";

    /// <summary>One scheduling pass: every pod without a node, oldest first, against what the bound pods leave free.</summary>
    public void Run()
    {
        var pods = store.List(Kinds.Pod, ListRequest.All()).Items;
        var nodes = NodeState.Build(store.List(SchedulingKinds.Node, ListRequest.All()).Items, pods);
        var pending = pods
            .Where(p => string.IsNullOrEmpty(p.At("spec").Str("nodeName")) && NodeState.HoldsResources(p) && !ObjectMeta.IsDeleting(p))
            .Where(p => p.At("spec").Str("schedulerName") is null or "default-scheduler")
            .OrderBy(p => p.At("metadata").Str("creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(p => p.Namespace(), StringComparer.Ordinal)
            .ThenBy(p => p.Name(), StringComparer.Ordinal);
        foreach (var pod in pending)
        {
            var fit = PodScheduler.Fit(pod, nodes);
            try
            {
                if (fit.NodeName is { } node)
                {
                    Bind(pod, node);
                }
                else
                {
                    MarkUnschedulable(pod, fit.Message!);
                }
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                // deleted or changed meanwhile: its event brings another pass
            }
        }
    }

    private void Bind(JsonObject pod, string node)
    {
        var (ns, name) = (pod.Namespace(), pod.Name());
        store.Patch(Kinds.Pod, ns, name, live =>
        {
            var next = live!.DeepCopy();
            ((JsonObject)next["spec"]!)["nodeName"] = node;
            return next;
        }, WriteContext.Internal(SchedulerManager));
        var now = ObjectMeta.Timestamp(clock.GetUtcNow());
        store.Patch(Kinds.Pod, ns, name, live =>
        {
            var next = live!.DeepCopy();
            var conditions = new JsonArray(
                (JsonNode)Condition("PodScheduled", "True", null, null, now),
                Condition("Initialized", "True", null, null, now),
                Condition("ContainersReady", "True", null, null, now),
                Condition("Ready", "True", null, null, now));
            next["status"] = new JsonObject { ["phase"] = "Running", ["conditions"] = conditions, ["startTime"] = now };
            return next;
        }, WriteContext.Internal("kubelet", "status"));
    }

    private void MarkUnschedulable(JsonObject pod, string message)
    {
        var current = (pod.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");
        if (pod.At("status").Str("phase") == "Pending" && current?.Str("reason") == "Unschedulable" && current.Str("message") == message)
        {
            return; // unchanged: no write, so passes settle
        }

        var now = ObjectMeta.Timestamp(clock.GetUtcNow());
        store.Patch(Kinds.Pod, pod.Namespace(), pod.Name(), live =>
        {
            var next = live!.DeepCopy();
            next["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray((JsonNode)Condition("PodScheduled", "False", "Unschedulable", message, current?.Str("status") == "False" ? current.Str("lastTransitionTime") ?? now : now)),
            };
            return next;
        }, WriteContext.Internal(SchedulerManager, "status"));
    }

    private static JsonObject Condition(string type, string status, string? reason, string? message, string at)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = at };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
