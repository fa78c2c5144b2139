using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// Owner-reference garbage collection:
/// when an owner is gone, dependents with no remaining owner are deleted (Background) and dangling references on
/// dependents that still have another owner are removed. An owner is gone when no object of the referenced kind and
/// name has the referenced uid (missing, or recreated with another uid), whether it went away before or after the
/// dependent was written (k8s.io/kubernetes pkg/controller/garbagecollector/garbagecollector.go attemptToDeleteItem).
/// Foreground deletes (finalizer foregroundDeletion) delete all dependents and keep the owner until the dependents
/// that set <c>blockOwnerDeletion</c> are gone; Orphan deletes (finalizer orphan) strip the owner references.
/// Namespace content is the <see cref="NamespaceController"/>'s job.
/// </summary>
internal sealed class GarbageCollector(ObjectStore store) : IController
{
    private const string Manager = "garbage-collector";

    public void Start(CancellationToken stopping)
    {
        foreach (var kind in store.Kinds.All.Where(k => !KindRegistry.IsVirtual(k)))
        {
            foreach (var obj in store.List(kind, ListRequest.All()).Items.Where(o => o.OwnerReferences().Count > 0))
            {
                CollectIfOrphaned(kind, obj);
            }
        }
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

            foreach (var ownerRef in e.Object.OwnerReferences())
            {
                if (ownerRef.Str("uid") is { } ownerUid && store.TryGetByUid(ownerUid) is { } owner)
                {
                    FinishPropagation(owner.Kind, owner.Object);
                }
            }
        }
        else if (!ObjectMeta.IsDeleting(e.Object) && e.Object.OwnerReferences().Count > 0 && uid is not null && store.TryGetByUid(uid) is { } current)
        {
            CollectIfOrphaned(current.Kind, current.Object);
        }

        if (e.Type == "MODIFIED" && ObjectMeta.IsDeleting(e.Object) && uid is not null)
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

        var waitingFor = finalizers.Contains("orphan")
            ? store.Dependents(uid)
            : [.. store.Dependents(uid).Where(d => d.Object.OwnerReferences().Any(r => r.Str("uid") == uid && r["blockOwnerDeletion"]?.GetValueKind() == System.Text.Json.JsonValueKind.True))];
        if (waitingFor.Count > 0)
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

    /// <summary>
    /// Deletes a dependent none of whose owners exist, or drops the references to missing owners when another owner
    /// exists. References to kinds the simulator does not serve cannot be resolved and are left alone, as the real
    /// collector leaves them.
    /// </summary>
    private void CollectIfOrphaned(ResourceKind kind, JsonObject dependent)
    {
        var references = dependent.OwnerReferences();
        var missing = references.Where(r => OwnerState(r, dependent) == Owner.Missing).Select(r => r.Str("uid")).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (missing.Count == references.Count)
        {
            TryDelete(kind, dependent, "Background");
            return;
        }

        try
        {
            store.Patch(kind, dependent.Namespace(), dependent.Name(), live =>
            {
                foreach (var ownerUid in missing.OfType<string>())
                {
                    WithoutOwner(live!, ownerUid);
                }

                return live!;
            }, WriteContext.Internal(Manager));
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // deleted or changed meanwhile: its next event brings it back here
        }
    }

    private enum Owner
    {
        Present,
        Missing,
        Unresolvable,
    }

    private Owner OwnerState(JsonObject reference, JsonObject dependent)
    {
        var kind = reference.Str("apiVersion") is { } apiVersion && reference.Str("kind") is { } kindName ? store.Kinds.FindByKind(apiVersion, kindName) : null;
        if (kind is null || reference.Str("uid") is not { Length: > 0 } uid || reference.Str("name") is not { Length: > 0 } name)
        {
            return Owner.Unresolvable;
        }

        var ns = kind.Namespaced ? dependent.Namespace() : null;
        if (kind.Namespaced && ns is null)
        {
            return Owner.Unresolvable; // a cluster-scoped dependent cannot have a namespaced owner
        }

        var owner = store.TryGet(kind, ns, name);
        return owner?.Uid() == uid ? Owner.Present : Owner.Missing;
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
