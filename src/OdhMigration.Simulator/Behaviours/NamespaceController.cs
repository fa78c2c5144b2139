using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// The namespace controller: a Terminating Namespace has its content deleted (finalizers of that content are
/// honoured, so an object with a finalizer keeps the namespace Terminating), and once nothing is left the
/// <c>kubernetes</c> finalizer is removed through <c>/finalize</c>, after which the store deletes the Namespace
/// (k8s.io/kubernetes pkg/controller/namespace/deletion/namespaced_resources_deleter.go).
/// </summary>
internal sealed class NamespaceController(ObjectStore store) : IController
{
    private const string Manager = "namespace-controller";

    public void Start(CancellationToken stopping)
    {
        foreach (var ns in store.List(Kinds.Namespace, ListRequest.All()).Items.Where(ObjectMeta.IsDeleting))
        {
            Terminate(ns.Name());
        }
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        if (NamespaceLifecycle.IsNamespace(e.Kind))
        {
            if (e.Type != "DELETED" && ObjectMeta.IsDeleting(e.Object))
            {
                Terminate(e.Name);
            }

            return;
        }

        if (e.Type == "DELETED" && e.Kind.Namespaced && e.Namespace is { } ns && store.TryGet(Kinds.Namespace, null, ns) is { } owner && ObjectMeta.IsDeleting(owner))
        {
            FinalizeIfEmpty(ns);
        }
    }

    private void Terminate(string ns)
    {
        foreach (var kind in NamespacedKinds())
        {
            foreach (var obj in store.List(kind, ListRequest.All(ns)).Items.Where(o => !ObjectMeta.IsDeleting(o)))
            {
                try
                {
                    store.Delete(kind, ns, obj.Name(), new DeleteRequest(PropagationPolicy: "Background", PreconditionUid: obj.Uid()));
                }
                catch (ApiException ex) when (ex.Code is 404 or 409)
                {
                    // already gone, or replaced: the replacement's own delete event brings us back
                }
            }
        }

        FinalizeIfEmpty(ns);
    }

    private void FinalizeIfEmpty(string ns)
    {
        if (NamespacedKinds().Any(kind => store.List(kind, ListRequest.All(ns) with { Limit = 1 }).Items.Count > 0))
        {
            return;
        }

        try
        {
            var current = store.Get(Kinds.Namespace, null, ns);
            if (NamespaceLifecycle.SpecFinalizers(current).Contains(NamespaceLifecycle.KubernetesFinalizer))
            {
                current = store.Update(Kinds.Namespace, null, ns, WithoutKubernetesFinalizer(current), WriteContext.Internal(Manager, NamespaceLifecycle.FinalizeSubresource));
            }

            // As the controller does after finalizing: delete again, which removes the Namespace unless other
            // spec.finalizers or metadata.finalizers still hold it.
            if (NamespaceLifecycle.SpecFinalizers(current).Count == 0)
            {
                store.Delete(Kinds.Namespace, null, ns, new DeleteRequest(PreconditionUid: current.Uid()));
            }
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // gone already, or changed under us: the next event retries
        }
    }

    private IEnumerable<ResourceKind> NamespacedKinds() => store.Kinds.All.Where(k => k.Namespaced && !KindRegistry.IsVirtual(k));

    private static JsonObject WithoutKubernetesFinalizer(JsonObject ns)
    {
        var kept = NamespaceLifecycle.SpecFinalizers(ns).Where(f => f != NamespaceLifecycle.KubernetesFinalizer).Select(f => (JsonNode)f).ToArray();
        if (ns["spec"] is JsonObject spec)
        {
            if (kept.Length == 0)
            {
                spec.Remove("finalizers");
            }
            else
            {
                spec["finalizers"] = new JsonArray(kept);
            }
        }

        return ns;
    }
}
