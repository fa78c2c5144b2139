using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// A KServe-like controller for RawDeployment and Serverless InferenceServices: resolves the ServingRuntime, then
/// reports status.deploymentMode, URLs and the readiness conditions (Serverless: as KServe copies them from its Knative
/// Service, <see cref="ServerlessStatus"/>). Readiness comes <see cref="KServeControllerOptions.ReadyDelay"/> after each
/// spec change (generation), so tools really have to wait, and, while the cluster has nodes, only once enough predictor
/// pods run (<see cref="PodController.Available"/>). A Serverless ISVC loaded from the snapshot keeps the status the
/// snapshot gives it until its spec or its serving.kserve.io/stop annotation changes (tests set up clusters through
/// snapshot status); created ones are reconciled from the start. ModelMesh ISVCs are left to <see cref="ModelMeshController"/>.
/// </summary>
internal sealed class KServeController(ObjectStore store, KServeControllerOptions options, TimeProvider clock, PodController? pods = null) : IController
{
    private const string Manager = "kserve-controller";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);

    /// <summary>
    /// The runtime each ISVC names (null: chosen by model format), so that a ServingRuntime change reconciles only
    /// the ISVCs it can affect. Reconciling every ISVC of the namespace on each runtime write made creating N
    /// runtimes next to N ISVCs cost N² status evaluations under the store's lock.
    /// </summary>
    private readonly ConcurrentDictionary<(string? Namespace, string Name), string?> _runtimeOf = new();

    /// <summary>Serverless ISVCs from the snapshot not reconciled yet, with what they looked like (<see cref="SnapshotKey"/>).</summary>
    private readonly ConcurrentDictionary<(string? Namespace, string Name), string> _snapshotServerless = new();

    public void Start(CancellationToken stopping)
    {
        // Only a few fields of each ISVC are needed here (Reconcile reads the object itself): no deep copies.
        var isvcs = store.Select(Kinds.InferenceService, isvc => (Namespace: isvc.Namespace(), Name: isvc.Name(), Runtime: RuntimeCheck.NamedRuntime(isvc), Generation: GenerationKey(isvc),
            Serverless: DeploymentModes.Effective(isvc, options.DefaultDeploymentMode) == ServerlessStatus.Mode ? SnapshotKey(isvc) : null));
        foreach (var isvc in isvcs)
        {
            _runtimeOf[(isvc.Namespace, isvc.Name)] = isvc.Runtime;
            if (isvc.Serverless is { } key)
            {
                _snapshotServerless[(isvc.Namespace, isvc.Name)] = key;
            }

            // Objects already in the snapshot are running: they are Ready at once if their runtime is fine.
            _readyAt.TryAdd(isvc.Generation, clock.GetUtcNow());
            Reconcile(isvc.Namespace, isvc.Name, stopping);
        }
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        if (e.Kind.GroupResource == Kinds.InferenceService.GroupResource)
        {
            if (e.Type == "DELETED")
            {
                _runtimeOf.TryRemove((e.Namespace, e.Name), out _);
                _snapshotServerless.TryRemove((e.Namespace, e.Name), out _);
                return;
            }

            _runtimeOf[(e.Namespace, e.Name)] = RuntimeCheck.NamedRuntime(e.Object);
            Reconcile(e.Namespace, e.Name, stopping);
        }
        else if (e.Kind.GroupResource == Kinds.Pod.GroupResource)
        {
            // A predictor pod scheduled, went or came back: the Deployment's availability, so PredictorReady, may follow.
            if (pods is { Active: true } && e.Object.Label(Scheduling.WorkloadPods.IsvcLabel) is { Length: > 0 } owner)
            {
                Reconcile(e.Namespace, owner, stopping);
            }
        }
        else if (e.Kind.GroupResource == Kinds.ServingRuntime.GroupResource)
        {
            var affected = _runtimeOf
                .Where(entry => entry.Key.Namespace == e.Namespace && (entry.Value is null || entry.Value == e.Name))
                .Select(entry => entry.Key.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var name in affected)
            {
                Reconcile(e.Namespace, name, stopping);
            }
        }
    }

    private void Reconcile(string? ns, string name, CancellationToken stopping)
    {
        var isvc = store.TryGet(Kinds.InferenceService, ns, name);
        if (isvc is not null && ObjectMeta.IsDeleting(isvc))
        {
            ReleaseFinalizer(isvc);
            return;
        }

        var mode = isvc is null ? null : DeploymentModes.Effective(isvc, options.DefaultDeploymentMode);
        if (mode == ServerlessStatus.Mode && !FromSnapshotUnchanged(isvc!))
        {
            ReconcileServerless(isvc!, stopping);
            return;
        }

        if (isvc is null || mode != DeploymentModes.Raw)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var readyAt = _readyAt.GetOrAdd(GenerationKey(isvc), now + options.ReadyDelay);
        var verdict = RuntimeCheck.Evaluate(store, isvc);
        var available = !verdict.Ok || pods is null || pods.Available(isvc, DeploymentModes.Raw, verdict);
        var ready = verdict.Ok && available && now >= readyAt;
        if (verdict.Ok && available && !ready)
        {
            _ = RequeueAsync(ns, name, readyAt - now, stopping);
        }

        try
        {
            // Readiness is decided again under the store's lock, at commit time: this runs from the event loop and
            // from requeues at once, and a reconcile that decided "not yet" must not commit after one that saw Ready.
            store.Patch(Kinds.InferenceService, ns, name, live =>
            {
                var at = clock.GetUtcNow();
                return WithStatus(live!, verdict, available, verdict.Ok && available && at >= readyAt, at);
            }, WriteContext.Internal(Manager, "status"));
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // deleted meanwhile
        }
    }

    /// <summary>
    /// A Serverless ISVC is reconciled as KServe reconciles it through its Knative Service: runtime first, then the
    /// stop annotation, then the revision's readiness (the delay, and with nodes all of its min-scale pods running, or
    /// a scheduling failure Knative reports at once).
    /// </summary>
    private void ReconcileServerless(JsonObject isvc, CancellationToken stopping)
    {
        var (ns, name) = (isvc.Namespace(), isvc.Name());
        var now = clock.GetUtcNow();
        var readyAt = _readyAt.GetOrAdd(GenerationKey(isvc), now + options.ReadyDelay);
        var verdict = RuntimeCheck.Evaluate(store, isvc);
        var stopped = ServerlessStatus.IsStopped(isvc);
        var runs = verdict.Ok && !stopped;
        var available = !runs || pods is null || pods.Available(isvc, ServerlessStatus.Mode, verdict);
        var failure = runs && !available ? pods!.SchedulingFailure(isvc, ServerlessStatus.Mode, verdict) : null;
        if (runs && available && now < readyAt)
        {
            _ = RequeueAsync(ns, name, readyAt - now, stopping);
        }

        try
        {
            store.Patch(Kinds.InferenceService, ns, name, live =>
            {
                var at = clock.GetUtcNow();
                return ServerlessStatus.With(live!, new ServerlessFacts(verdict, stopped, runs && available && at >= readyAt, failure), options.AppsDomain, at);
            }, WriteContext.Internal(Manager, "status"));
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // deleted meanwhile
        }
    }

    /// <summary>
    /// Whether a Serverless ISVC is still as the snapshot loaded it (its status then stays the snapshot's); the first
    /// change of spec or stop annotation, or a new object under the name, hands it to the controller for good.
    /// </summary>
    private bool FromSnapshotUnchanged(JsonObject isvc)
    {
        var key = (isvc.Namespace(), isvc.Name());
        if (!_snapshotServerless.TryGetValue(key, out var loaded))
        {
            return false;
        }

        if (loaded == SnapshotKey(isvc))
        {
            return true;
        }

        _snapshotServerless.TryRemove(key, out _);
        return false;
    }

    private static string SnapshotKey(JsonObject isvc) => $"{GenerationKey(isvc)}:{ServerlessStatus.IsStopped(isvc)}";

    /// <summary>
    /// KServe removes its finalizer from a deleted ISVC of any mode once its cleanup is done. With
    /// <see cref="KServeControllerOptions.ReleaseFinalizers"/> off, deleted ISVCs hang in Terminating: the trap a
    /// cluster falls into when Serverless or Service Mesh was removed before the ISVCs were deleted.
    /// </summary>
    private void ReleaseFinalizer(JsonObject isvc)
    {
        if (!options.ReleaseFinalizers || !ObjectMeta.Finalizers(isvc).Contains(FinalizerName))
        {
            return;
        }

        try
        {
            store.Patch(Kinds.InferenceService, isvc.Namespace(), isvc.Name(), live =>
            {
                var next = live!.DeepCopy();
                var kept = ObjectMeta.Finalizers(next).Where(f => f != FinalizerName).Select(f => (JsonNode)f).ToArray();
                next.Metadata()["finalizers"] = new JsonArray(kept);
                return next;
            }, WriteContext.Internal(Manager, null));
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // already gone
        }
    }

    private const string FinalizerName = "inferenceservice.finalizers";

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

    private JsonObject WithStatus(JsonObject live, RuntimeVerdict verdict, bool available, bool ready, DateTimeOffset now)
    {
        var name = live.Name();
        var ns = live.Namespace();
        var status = live["status"] as JsonObject ?? [];
        var internalUrl = $"http://{name}-predictor.{ns}.svc.cluster.local";
        var exposed = live.Label("networking.kserve.io/visibility") == "exposed";
        status["deploymentMode"] = DeploymentModes.Raw;
        status["observedGeneration"] = live.At("metadata", "generation")?.DeepClone() ?? 1;
        if (verdict.Ok)
        {
            status["url"] = exposed ? $"https://{name}-{ns}.{options.AppsDomain}" : internalUrl;
            status["address"] = new JsonObject { ["url"] = internalUrl };
        }
        else
        {
            // KServe stops before it creates the predictor's service and route: no URL to report.
            status.Remove("url");
            status.Remove("address");
        }
        var (reason, message) = !verdict.Ok ? (verdict.Reason, verdict.Message)
            : ready ? (null, null)
            // KServe copies the Deployment's Available condition into PredictorReady (pkg/apis/serving/v1beta1/
            // inference_service_status.go PropagateRawStatus); the Deployment controller words it so when too few pods
            // are available (pkg/controller/deployment/sync.go, MinimumReplicasUnavailable). Ready mirrors it.
            : !available ? ("MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
            : ("Progressing", "waiting for the predictor deployment to become available");
        var previous = status["conditions"] as JsonArray;
        var predictorStatus = ready ? "True" : "False";
        status["conditions"] = new JsonArray(
            StatusConditions.Condition(previous, "IngressReady", verdict.Ok ? "True" : "False", verdict.Ok ? null : reason, verdict.Ok ? null : message, now),
            StatusConditions.Condition(previous, "PredictorReady", predictorStatus, reason, message, now),
            StatusConditions.Condition(previous, "Ready", predictorStatus, reason, message, now));
        status["modelStatus"] = verdict.Ok
            ? new JsonObject
            {
                ["transitionStatus"] = ready ? "UpToDate" : "InProgress",
                ["states"] = new JsonObject { ["activeModelState"] = ready ? "Loaded" : "Pending", ["targetModelState"] = "Loaded" },
            }
            : new JsonObject
            {
                ["transitionStatus"] = "InvalidSpec",
                ["states"] = new JsonObject { ["activeModelState"] = string.Empty, ["targetModelState"] = "FailedToLoad" },
                ["lastFailureInfo"] = new JsonObject { ["reason"] = verdict.Reason, ["message"] = verdict.Message },
            };
        live["status"] = status;
        return live;
    }

    private static string GenerationKey(JsonObject isvc) => $"{isvc.Uid()}:{isvc.At("metadata", "generation")}";
}
