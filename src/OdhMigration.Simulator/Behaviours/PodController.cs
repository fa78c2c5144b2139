using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// The pods behind KServe's workloads and a scheduler that places them, active only while the cluster has Node objects
/// (without nodes capacity is unlimited and no pods are made, as before). Keeps each RawDeployment/Serverless ISVC's
/// predictor pods and each ModelMesh runtime's pods at their replica count, as the Deployment and ReplicaSet
/// controllers would: a pod deleted by someone else is recreated, a changed spec replaces the pods (delete, then
/// create), a deleted or stopped workload loses them. After every change it runs one scheduling pass over all pods
/// without a node, oldest first (<see cref="SchedulingPass"/>): a pod that fits is bound (spec.nodeName, phase Running,
/// PodScheduled/Initialized/ContainersReady/Ready True); one that does not stays Pending with PodScheduled False,
/// reason Unschedulable and the scheduler's message. So capacity freed by a delete or a stop reaches pending pods at once.
/// </summary>
internal sealed class PodController(ObjectStore store, KServeControllerOptions options, TimeProvider clock) : IController
{
    private readonly SchedulingPass _scheduler = new(store, clock);
    private const string Manager = "kube-controller-manager";
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private int _nodes;
    private long _sequence;

    /// <summary>Whether pods and scheduling are modelled: the cluster has at least one Node.</summary>
    public bool Active => Volatile.Read(ref _nodes) > 0;

    public void Start(CancellationToken stopping)
    {
        Volatile.Write(ref _nodes, CountNodes());
        if (Active)
        {
            SyncAll();
        }
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        var resource = e.Kind.GroupResource;
        if (resource == SchedulingKinds.Node.GroupResource)
        {
            var before = Volatile.Read(ref _nodes);
            Volatile.Write(ref _nodes, CountNodes());
            if (before == 0 && Active)
            {
                SyncAll();
            }
            else if (Active)
            {
                _scheduler.Run();
            }

            return;
        }

        if (!Active)
        {
            return; // unlimited capacity: nothing to do, and nothing costs anything (the 10,000-ISVC benchmark has no nodes)
        }

        if (resource == Kinds.InferenceService.GroupResource)
        {
            SyncInferenceService(e.Namespace, e.Name);
        }
        else if (resource == Kinds.ServingRuntime.GroupResource)
        {
            SyncRuntime(e.Namespace, e.Name);
            foreach (var isvc in store.List(Kinds.InferenceService, ListRequest.All(e.Namespace)).Items)
            {
                SyncInferenceService(isvc.Namespace(), isvc.Name()); // a runtime's containers are part of its ISVCs' pods
            }
        }
        else if (resource == Kinds.Pod.GroupResource)
        {
            if (e.Type == "DELETED")
            {
                SyncOwner(e.Object); // a ReplicaSet replaces a pod that was deleted
            }
        }
        else
        {
            return;
        }

        _scheduler.Run();
    }

    /// <summary>
    /// Whether an ISVC's predictor workload would be available: always without nodes; else, for a RawDeployment
    /// Deployment, at least replicas - floor(replicas / 4) of its current pods Running (a Deployment's default
    /// maxUnavailable of 25%); for a Serverless revision all of them (Knative's autoscaler only marks a revision's scale
    /// target initialized once min-scale pods are ready).
    /// </summary>
    public bool Available(JsonObject isvc, string mode, RuntimeVerdict verdict)
    {
        if (!Active)
        {
            return true;
        }

        var (template, pods) = CurrentPods(isvc, mode, verdict);
        var running = pods.Count(p => p.At("status").Str("phase") == "Running");
        return running >= (mode == DeploymentModes.Raw ? template.Replicas - (template.Replicas / 4) : template.Replicas);
    }

    /// <summary>
    /// The PodScheduled=False message of the ISVC's first current pod (oldest), as Knative's revision reconciler reads
    /// it when a Deployment has no available pod; null without nodes or when no pod is unschedulable.
    /// </summary>
    public string? SchedulingFailure(JsonObject isvc, string mode, RuntimeVerdict verdict)
    {
        if (!Active)
        {
            return null;
        }

        var first = CurrentPods(isvc, mode, verdict).Pods
            .OrderBy(p => p.At("metadata").Str("creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(p => p.Name(), StringComparer.Ordinal)
            .FirstOrDefault();
        return (first?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c.Str("type") == "PodScheduled" && c.Str("status") == "False")?.Str("message");
    }

    private (PodTemplate Template, List<JsonObject> Pods) CurrentPods(JsonObject isvc, string mode, RuntimeVerdict verdict)
    {
        var runtime = verdict.Runtime is { } named ? store.TryGet(Kinds.ServingRuntime, isvc.Namespace(), named) : null;
        var template = WorkloadPods.ForInferenceService(isvc, mode, runtime, verdict.Ok);
        var pods = store.List(Kinds.Pod, new ListRequest(isvc.Namespace(), LabelSelector.Parse($"{WorkloadPods.IsvcLabel}={isvc.Name()}"), FieldFilter.Everything)).Items
            .Where(p => !ObjectMeta.IsDeleting(p) && Current(p, template, isvc.Uid()))
            .ToList();
        return (template, pods);
    }

    private int CountNodes() => store.List(SchedulingKinds.Node, ListRequest.All()).Items.Count;

    private void SyncAll()
    {
        foreach (var isvc in store.List(Kinds.InferenceService, ListRequest.All()).Items)
        {
            SyncInferenceService(isvc.Namespace(), isvc.Name());
        }

        foreach (var runtime in store.List(Kinds.ServingRuntime, ListRequest.All()).Items)
        {
            SyncRuntime(runtime.Namespace(), runtime.Name());
        }

        _scheduler.Run();
    }

    private void SyncOwner(JsonObject pod)
    {
        if (pod.Label(WorkloadPods.IsvcLabel) is { Length: > 0 } isvc)
        {
            SyncInferenceService(pod.Namespace(), isvc);
        }
        else if (pod.Label(WorkloadPods.ModelMeshNameLabel) is { } name && name.StartsWith(WorkloadPods.ModelMeshNamePrefix, StringComparison.Ordinal)
                 && pod.Label(WorkloadPods.ModelMeshLabel) is not null)
        {
            SyncRuntime(pod.Namespace(), name[WorkloadPods.ModelMeshNamePrefix.Length..]);
        }
    }

    private void SyncInferenceService(string? ns, string name)
    {
        var isvc = store.TryGet(Kinds.InferenceService, ns, name);
        PodTemplate? template = null;
        if (isvc is not null && !ObjectMeta.IsDeleting(isvc))
        {
            var mode = DeploymentModes.Effective(isvc, options.DefaultDeploymentMode);
            if (mode != "ModelMesh")
            {
                var verdict = RuntimeCheck.Evaluate(store, isvc);
                var runtime = verdict.Runtime is { } named ? store.TryGet(Kinds.ServingRuntime, ns, named) : null;
                template = WorkloadPods.ForInferenceService(isvc, mode, runtime, verdict.Ok);
            }
        }

        Reconcile(ns, $"{WorkloadPods.IsvcLabel}={name}", template, isvc?.Uid());
    }

    private void SyncRuntime(string? ns, string name)
    {
        var runtime = store.TryGet(Kinds.ServingRuntime, ns, name);
        var template = runtime is not null && !ObjectMeta.IsDeleting(runtime) && WorkloadPods.IsModelMeshRuntime(runtime)
            ? WorkloadPods.ForModelMeshRuntime(runtime)
            : null;
        Reconcile(ns, $"{WorkloadPods.ModelMeshLabel},{WorkloadPods.ModelMeshNameLabel}={WorkloadPods.ModelMeshNamePrefix}{name}", template, runtime?.Uid());
    }

    /// <summary>
    /// Brings the workload's pods to the template. Pods without the simulator's template annotation (from the snapshot)
    /// are adopted as they are; pods of another owner uid (an object deleted and recreated under the same name) go.
    /// </summary>
    private void Reconcile(string? ns, string selector, PodTemplate? template, string? ownerUid)
    {
        var existing = store.List(Kinds.Pod, new ListRequest(ns, LabelSelector.Parse(selector), FieldFilter.Everything)).Items
            .Where(p => !ObjectMeta.IsDeleting(p))
            .OrderBy(p => p.At("metadata").Str("creationTimestamp"), StringComparer.Ordinal)
            .ThenBy(p => p.Name(), StringComparer.Ordinal)
            .ToList();
        var keep = template is null
            ? []
            : existing.Where(p => Current(p, template, ownerUid)).Take(template.Replicas).ToList();
        foreach (var pod in existing.Except(keep))
        {
            Delete(pod);
        }

        for (var i = keep.Count; i < (template?.Replicas ?? 0); i++)
        {
            var pod = template!.NewPod($"{template.NamePrefix}-{template.Hash}-{NextSuffix()}", ns);
            try
            {
                store.Create(Kinds.Pod, ns, pod, WriteContext.Internal(Manager));
            }
            catch (ApiException ex) when (ex.Code is 409 or 403 or 404)
            {
                // name taken, or the namespace is going away: the next event retries
            }
        }
    }

    private static bool Current(JsonObject pod, PodTemplate template, string? ownerUid)
    {
        var owners = pod.At("metadata", "ownerReferences") as JsonArray;
        var ownerKind = template.Owner.Str("kind");
        if (owners?.OfType<JsonObject>().Any(o => o.Str("kind") == ownerKind && o.Str("uid") != ownerUid) == true)
        {
            return false;
        }

        return pod.Annotation(PodTemplate.HashAnnotation) is not { } hash || hash == template.Hash;
    }

    private void Delete(JsonObject pod)
    {
        try
        {
            store.Delete(Kinds.Pod, pod.Namespace(), pod.Name(), new DeleteRequest());
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // already gone
        }
    }

    private string NextSuffix()
    {
        var n = Interlocked.Increment(ref _sequence);
        var chars = new char[5];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(n % Alphabet.Length)];
            n /= Alphabet.Length;
        }

        return new string(chars);
    }
}
