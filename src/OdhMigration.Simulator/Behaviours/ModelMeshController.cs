using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// A modelmesh-serving-like predictor reconciler for InferenceServices annotated serving.kserve.io/deploymentMode:
/// ModelMesh (kserve/modelmesh-serving controllers/predictor_controller.go ReconcilePredictor over the InferenceService
/// registry). It acts only in namespaces labelled modelmesh-enabled: "true" (elsewhere no modelmesh Service exists and
/// the ISVC gets no status), and not on ISVCs the registry refuses (<see cref="ModelMeshPlacements.TypeLabel"/>).
/// The runtime is placed as modelmesh's type constraints place it (<see cref="ModelMeshPlacements.Place"/>): placed,
/// the model is Loaded and the ISVC Ready <see cref="KServeControllerOptions.ReadyDelay"/> after each spec change (the
/// time the runtime's pods take to come up from zero) and, while the cluster has nodes, once one of that runtime's
/// pods runs; until then it waits for the runtime pod (RuntimeUnhealthy). Not placed: FailedToLoad with
/// RuntimeNotRecognized/NoSupportingRuntime while some modelmesh pod of the namespace runs (one has to, to answer
/// "no running instances"), else RuntimeUnhealthy (as fvt/predictor/predictor_test.go notes, the reason depends on
/// whether a runtime pod is up). An ISVC loaded from the snapshot keeps the snapshot's status until its spec changes,
/// as Serverless ones do in <see cref="KServeController"/>; created (or recreated) ones are reconciled from the start.
/// </summary>
internal sealed class ModelMeshController(ObjectStore store, KServeControllerOptions options, TimeProvider clock, PodController? pods = null) : IController
{
    private const string Manager = "modelmesh-controller";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);

    /// <summary>The ModelMesh ISVCs known, so runtime, namespace and pod events reconcile only those.</summary>
    private readonly ConcurrentDictionary<(string? Namespace, string Name), byte> _modelMesh = new();

    /// <summary>ISVCs with no runtime waiting for any modelmesh pod to run (so for another ISVC to be placed).</summary>
    private readonly ConcurrentDictionary<(string? Namespace, string Name), byte> _unplaced = new();

    /// <summary>ModelMesh ISVCs from the snapshot not reconciled yet, with the generation they were loaded at.</summary>
    private readonly ConcurrentDictionary<(string? Namespace, string Name), string> _fromSnapshot = new();

    public void Start(CancellationToken stopping)
    {
        var isvcs = store.Select(Kinds.InferenceService, isvc => (Namespace: isvc.Namespace(), Name: isvc.Name(), ModelMesh: ModelMeshPlacements.IsModelMesh(isvc), Generation: GenerationKey(isvc)));
        foreach (var isvc in isvcs.Where(i => i.ModelMesh))
        {
            _modelMesh[(isvc.Namespace, isvc.Name)] = 0;
            _fromSnapshot[(isvc.Namespace, isvc.Name)] = isvc.Generation;
            _readyAt.TryAdd(isvc.Generation, clock.GetUtcNow()); // already running in the snapshot's cluster
        }
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        var resource = e.Kind.GroupResource;
        if (resource == Kinds.InferenceService.GroupResource)
        {
            if (e.Type == "DELETED" || !ModelMeshPlacements.IsModelMesh(e.Object))
            {
                // No longer ModelMesh (e.g. applied over as RawDeployment): modelmesh drops its vmodel and leaves the
                // status to whoever owns the ISVC now.
                _modelMesh.TryRemove((e.Namespace, e.Name), out _);
                _unplaced.TryRemove((e.Namespace, e.Name), out _);
                _fromSnapshot.TryRemove((e.Namespace, e.Name), out _);
                return;
            }

            _modelMesh[(e.Namespace, e.Name)] = 0;
            Reconcile(e.Namespace, e.Name, stopping);

            // A model placed on a runtime scales that runtime up from zero: ISVCs that waited for any runtime pod now get
            // modelmesh's answer (the real controller polls them every 3 s while WaitingForRuntime).
            var waiting = _unplaced.Keys.Where(k => k.Namespace == e.Namespace && k.Name != e.Name).Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
            foreach (var name in waiting)
            {
                Reconcile(e.Namespace, name, stopping);
            }
        }
        else if (resource == Kinds.ServingRuntime.GroupResource || resource == Kinds.Namespace.GroupResource)
        {
            // A runtime changes the type constraints (and which runtimes have pods); the namespace's label turns
            // modelmesh on or off.
            ReconcileNamespace(resource == Kinds.Namespace.GroupResource ? e.Name : e.Namespace, stopping);
        }
        else if (resource == Kinds.Pod.GroupResource && pods is { Active: true } && e.Object.Label(WorkloadPods.ModelMeshLabel) is not null)
        {
            ReconcileNamespace(e.Namespace, stopping);
        }
    }

    private void ReconcileNamespace(string? ns, CancellationToken stopping)
    {
        var names = _modelMesh.Keys.Where(k => k.Namespace == ns).Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            Reconcile(ns, name, stopping);
        }
    }

    private void Reconcile(string? ns, string name, CancellationToken stopping)
    {
        var isvc = store.TryGet(Kinds.InferenceService, ns, name);
        if (isvc is null || ObjectMeta.IsDeleting(isvc) || !ModelMeshPlacements.IsModelMesh(isvc) || FromSnapshotUnchanged(isvc)
            || !ModelMeshPlacements.NamespaceEnabled(store, ns) || ModelMeshPlacements.TypeLabel(isvc) is not { } typeLabel)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var readyAt = _readyAt.GetOrAdd(GenerationKey(isvc), now + options.ReadyDelay);
        var placement = ModelMeshPlacements.Place(store, ns, typeLabel);
        var podsUp = placement.Runtime is not { } runtime || RuntimePodRuns(ns, runtime);
        if (placement.Runtime is not null && podsUp && now < readyAt)
        {
            _ = RequeueAsync(ns, name, readyAt - now, stopping);
        }

        var failed = placement.Runtime is null && ModelMeshRunning(ns);
        if (placement.Runtime is null && !failed)
        {
            _unplaced[(ns, name)] = 0;
        }
        else
        {
            _unplaced.TryRemove((ns, name), out _);
        }

        try
        {
            // Loaded is decided again at commit time, under the store's lock: a requeue and an event may race.
            store.Patch(Kinds.InferenceService, ns, name, live =>
            {
                var at = clock.GetUtcNow();
                var facts = failed ? new ModelMeshFacts(ModelMeshState.Failed, placement.Reason, placement.Message)
                    : new ModelMeshFacts(placement.Runtime is not null && podsUp && at >= readyAt ? ModelMeshState.Loaded : ModelMeshState.WaitingForRuntime);
                var status = ModelMeshStatus.Build(live!, facts, at);
                if (ModelMeshStatus.Same(status, live!["status"] as JsonObject))
                {
                    return live!; // nothing changed: the controller writes no status
                }

                live!["status"] = status;
                return live;
            }, WriteContext.Internal(Manager, "status"));
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // deleted meanwhile
        }
    }

    /// <summary>With nodes, whether one of the runtime's pods (modelmesh-serving-&lt;runtime&gt;) runs; without, it would.</summary>
    private bool RuntimePodRuns(string? ns, string runtime) =>
        pods is not { Active: true }
        || RunningPods(ns, $"{WorkloadPods.ModelMeshLabel},{WorkloadPods.ModelMeshNameLabel}={WorkloadPods.ModelMeshNamePrefix}{runtime}");

    /// <summary>
    /// Whether modelmesh has a running instance in the namespace to answer "no running instances meet the label
    /// requirements": with nodes, a running modelmesh pod; without, a runtime serving some ModelMesh ISVC of the
    /// namespace (modelmesh scales runtimes without predictors to zero, servingruntime_controller.go runtimeHasPredictors).
    /// </summary>
    private bool ModelMeshRunning(string? ns)
    {
        if (pods is { Active: true })
        {
            return RunningPods(ns, WorkloadPods.ModelMeshLabel);
        }

        return _modelMesh.Keys.Where(k => k.Namespace == ns)
            .Select(k => store.TryGet(Kinds.InferenceService, ns, k.Name))
            .Any(other => other is not null && ModelMeshPlacements.TypeLabel(other) is { } label && ModelMeshPlacements.Place(store, ns, label).Runtime is not null);
    }

    private bool RunningPods(string? ns, string selector) =>
        store.List(Kinds.Pod, new ListRequest(ns, LabelSelector.Parse(selector), FieldFilter.Everything)).Items
            .Any(p => !ObjectMeta.IsDeleting(p) && p.At("status").Str("phase") == "Running");

    /// <summary>Whether the ISVC is still as the snapshot loaded it; its first spec change hands it to the controller for good.</summary>
    private bool FromSnapshotUnchanged(JsonObject isvc)
    {
        var key = (isvc.Namespace(), isvc.Name());
        if (!_fromSnapshot.TryGetValue(key, out var loaded))
        {
            return false;
        }

        if (loaded == GenerationKey(isvc))
        {
            return true;
        }

        _fromSnapshot.TryRemove(key, out _);
        return false;
    }

    private async Task RequeueAsync(string? ns, string name, TimeSpan after, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(after, clock, stopping);
            Reconcile(ns, name, stopping);
        }
        catch (OperationCanceledException)
        {
            // simulator stopping
        }
        catch (ApiException)
        {
            // lost a race with a delete; nothing to report
        }
    }

    private static string GenerationKey(JsonObject isvc) => $"{isvc.Uid()}:{isvc.At("metadata", "generation")}";
}
