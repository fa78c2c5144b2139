using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// Owner-reference garbage collection and namespace deletion:
/// when an owner is gone, dependents with no remaining owner are deleted (Background) and dangling references on
/// dependents that still have another owner are removed; Foreground deletes (finalizer foregroundDeletion) delete
/// dependents first; Orphan deletes (finalizer orphan) strip the owner references. Deleting a Namespace deletes
/// everything in it (the simulator removes the Namespace at once rather than keeping it Terminating).
/// </summary>
internal sealed class GarbageCollector(ObjectStore store) : IController
{
    private const string Manager = "garbage-collector";

    public void Start(CancellationToken stopping)
    {
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        var uid = e.Object.Uid();
        if (e.Type == "DELETED")
        {
            if (uid is not null)
            {
                CollectDependents(uid);
            }

            if (e.Kind.GroupResource == Kinds.Namespace.GroupResource)
            {
                DeleteNamespaceContents(e.Name);
            }

            foreach (var ownerRef in e.Object.OwnerReferences())
            {
                if (ownerRef.Str("uid") is { } ownerUid && store.TryGetByUid(ownerUid) is { } owner)
                {
                    FinishPropagation(owner.Kind, owner.Object);
                }
            }
        }
        else if (e.Type == "MODIFIED" && ObjectMeta.IsDeleting(e.Object) && uid is not null)
        {
            var finalizers = ObjectMeta.Finalizers(e.Object);
            if (finalizers.Contains("orphan"))
            {
                foreach (var (kind, dependent) in store.Dependents(uid))
                {
                    store.Patch(kind, dependent.Namespace(), dependent.Name(), live => WithoutOwner(live!, uid), WriteContext.Internal(Manager));
                }
            }
            else if (finalizers.Contains("foregroundDeletion"))
            {
                foreach (var (kind, dependent) in store.Dependents(uid))
                {
                    TryDelete(kind, dependent, "Foreground");
                }
            }

            FinishPropagation(e.Kind, e.Object);
        }
    }

    private void CollectDependents(string ownerUid)
    {
        foreach (var (kind, dependent) in store.Dependents(ownerUid))
        {
            var remaining = dependent.OwnerReferences().Where(r => r.Str("uid") is { } u && u != ownerUid && store.UidExists(u)).ToList();
            if (remaining.Count == 0)
            {
                TryDelete(kind, dependent, "Background");
            }
            else
            {
                store.Patch(kind, dependent.Namespace(), dependent.Name(), live => WithoutOwner(live!, ownerUid), WriteContext.Internal(Manager));
            }
        }
    }

    /// <summary>Removes the orphan/foregroundDeletion finalizer once its work is done; the store then deletes the owner.</summary>
    private void FinishPropagation(ResourceKind kind, JsonObject owner)
    {
        var finalizers = ObjectMeta.Finalizers(owner);
        var uid = owner.Uid();
        if (uid is null || !ObjectMeta.IsDeleting(owner) || !(finalizers.Contains("orphan") || finalizers.Contains("foregroundDeletion")))
        {
            return;
        }

        if (store.Dependents(uid).Count > 0)
        {
            return;
        }

        store.Patch(kind, owner.Namespace(), owner.Name(), live =>
        {
            var updated = live!;
            updated.Metadata()["finalizers"] = new JsonArray([.. ObjectMeta.Finalizers(updated).Where(f => f is not ("orphan" or "foregroundDeletion")).Select(f => (JsonNode)f)]);
            return updated;
        }, WriteContext.Internal(Manager));
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var kind in store.Kinds.All.Where(k => k.Namespaced && !KindRegistry.IsVirtual(k)))
        {
            foreach (var obj in store.List(kind, ListRequest.All(ns)).Items)
            {
                TryDelete(kind, obj, "Background");
            }
        }
    }

    private void TryDelete(ResourceKind kind, JsonObject obj, string policy)
    {
        try
        {
            store.Delete(kind, obj.Namespace(), obj.Name(), new DeleteRequest(PropagationPolicy: policy, PreconditionUid: obj.Uid()));
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // already gone, or replaced by a new object with the same name: not ours to delete
        }
    }

    private static JsonObject WithoutOwner(JsonObject obj, string ownerUid)
    {
        var kept = obj.OwnerReferences().Where(r => r.Str("uid") != ownerUid).Select(r => (JsonNode)r.DeepClone()).ToArray();
        if (kept.Length == 0)
        {
            obj.Metadata().Remove("ownerReferences");
        }
        else
        {
            obj.Metadata()["ownerReferences"] = new JsonArray(kept);
        }

        return obj;
    }
}
