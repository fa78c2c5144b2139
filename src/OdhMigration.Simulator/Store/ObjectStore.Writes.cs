using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Patching;
using OdhMigration.Simulator.Patching.Ownership;

namespace OdhMigration.Simulator.Store;

/// <summary>Create, update (main resource or status), read-modify-write patches and deletes with finalizers.</summary>
public sealed partial class ObjectStore
{
    private static readonly string[] ServerOwnedMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

    public JsonObject Create(ResourceKind kind, string? ns, JsonObject obj, WriteContext context)
    {
        lock (_gate)
        {
            return CreateLocked(kind, ns, ObjectMeta.Materialize(obj), context).DeepCopy();
        }
    }

    /// <summary>PUT: replaces the object (or only its status when <see cref="WriteContext.Subresource"/> is "status").</summary>
    public JsonObject Update(ResourceKind kind, string? ns, string name, JsonObject candidate, WriteContext context)
    {
        lock (_gate)
        {
            var key = ObjectMeta.Key(Scope(kind, ns), name);
            if (!Table(kind).Items.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            Admission.UpdatePreconditions.Check(kind, current, candidate);
            return CommitUpdate(kind, key, current, ObjectMeta.Materialize(candidate), context).DeepCopy();
        }
    }

    /// <summary>
    /// Atomic read-modify-write: <paramref name="change"/> gets a copy of the stored object (null when missing) and
    /// returns the desired object. With <paramref name="createIfMissing"/> (server-side apply) a missing object is created.
    /// </summary>
    public (JsonObject Object, bool Created) Patch(ResourceKind kind, string? ns, string name, Func<JsonObject?, JsonObject> change, WriteContext context, bool createIfMissing = false)
    {
        lock (_gate)
        {
            var key = ObjectMeta.Key(Scope(kind, ns), name);
            if (!Table(kind).Items.TryGetValue(key, out var current))
            {
                if (!createIfMissing)
                {
                    throw ApiException.NotFound(kind, name);
                }

                return (CreateLocked(kind, ns, ObjectMeta.Materialize(change(null)), context).DeepCopy(), true);
            }

            var candidate = ObjectMeta.Materialize(change(current.DeepCopy()));
            return (CommitUpdate(kind, key, current, candidate, context).DeepCopy(), false);
        }
    }

    /// <summary>
    /// Server-side apply (PATCH application/apply-patch+yaml): merges <paramref name="applied"/> for the context's
    /// field manager, creating the object when missing (not on a subresource), 409 on conflicts unless forced.
    /// </summary>
    public (JsonObject Object, bool Created) Apply(ResourceKind kind, string? ns, string name, JsonObject applied, WriteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = context.FieldManager ?? throw ApiException.BadRequest("fieldManager is required for apply requests");
        var apply = context with { Operation = "Apply" };
        return Patch(kind, ns, name, live => ServerSideApply.Apply(kind, FieldTypes, live, applied, manager, apply.Force, apply.Subresource, ObjectMeta.Timestamp(_clock.GetUtcNow())), apply, createIfMissing: apply.Subresource is null);
    }

    public DeleteResult Delete(ResourceKind kind, string? ns, string name, DeleteRequest request)
    {
        lock (_gate)
        {
            var table = Table(kind);
            var key = ObjectMeta.Key(Scope(kind, ns), name);
            if (!table.Items.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            if (request.PreconditionUid is { Length: > 0 } uid && uid != current.Uid())
            {
                throw ApiException.Conflict(kind, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");
            }

            if (request.PreconditionResourceVersion is { Length: > 0 } rv && rv != ObjectMeta.ResourceVersion(current))
            {
                throw ApiException.Conflict(kind, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(current)}");
            }

            if (NamespaceLifecycle.IsNamespace(kind) && !ObjectMeta.IsDeleting(current))
            {
                var terminating = NamespaceLifecycle.BeginTermination(current, ObjectMeta.Timestamp(_clock.GetUtcNow()));
                return new DeleteResult(request.DryRun ? terminating : WriteLocked(kind, key, terminating, current).DeepCopy(), false);
            }

            if (NamespaceLifecycle.HoldsDeletion(kind, current))
            {
                throw NamespaceLifecycle.StillFinalizing(name);
            }

            var next = current.DeepCopy();
            var finalizers = ObjectMeta.Finalizers(next).ToList();
            var propagationFinalizer = request.PropagationPolicy switch
            {
                "Foreground" => "foregroundDeletion",
                "Orphan" => "orphan",
                _ => null,
            };
            if (PropagationFinalizers && propagationFinalizer is not null && !finalizers.Contains(propagationFinalizer) && HasDependentsLocked(current.Uid()))
            {
                finalizers.Add(propagationFinalizer);
                next.Metadata()["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
            }

            if (finalizers.Count == 0)
            {
                if (request.DryRun)
                {
                    return new DeleteResult(next, true);
                }

                return new DeleteResult(RemoveLocked(kind, key, current).DeepCopy(), true);
            }

            if (ObjectMeta.IsDeleting(current) && finalizers.Count == ObjectMeta.Finalizers(current).Count)
            {
                return new DeleteResult(current.DeepCopy(), false);
            }

            next.Metadata()["deletionTimestamp"] ??= ObjectMeta.Timestamp(_clock.GetUtcNow());
            next.Metadata()["deletionGracePeriodSeconds"] ??= 0;
            if (request.DryRun)
            {
                return new DeleteResult(next, false);
            }

            return new DeleteResult(WriteLocked(kind, key, next, current).DeepCopy(), false);
        }
    }

    private JsonObject CreateLocked(ResourceKind kind, string? ns, JsonObject obj, WriteContext context)
    {
        if (KindRegistry.IsVirtual(kind))
        {
            throw ApiException.MethodNotAllowed($"{kind.GroupResource} cannot be stored");
        }

        CheckTypeMeta(kind, obj);
        var meta = obj.Metadata();
        ns = Scope(kind, ns);
        CheckNamespace(kind, obj, ns);
        if (meta.Str("name") is not { Length: > 0 } && meta.Str("generateName") is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + RandomSuffix();
        }

        var name = obj.Name();
        ObjectMeta.ValidateName(kind, name);
        var table = Table(kind);
        var key = ObjectMeta.Key(ns, name);
        if (table.Items.ContainsKey(key))
        {
            throw ApiException.AlreadyExists(kind, name);
        }

        if (kind.Namespaced)
        {
            meta["namespace"] = ns;
            var nsObj = Table(Core.Manifests.Kinds.Namespace).Items.GetValueOrDefault(ObjectMeta.Key(null, ns!))
                ?? throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
            if (NamespaceLifecycle.IsTerminating(nsObj))
            {
                throw NamespaceLifecycle.CreateRefused(kind, name, ns!);
            }
        }
        else
        {
            meta.Remove("namespace");
        }

        if (meta["resourceVersion"] is JsonValue rv && rv.ToString().Length > 0)
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        foreach (var field in ServerOwnedMetadata)
        {
            meta.Remove(field);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Timestamp(_clock.GetUtcNow());
        if (KindRegistry.HasGeneration(kind))
        {
            meta["generation"] = 1L;
        }

        if (KindRegistry.HasStatus(kind) && kind != Core.Manifests.Kinds.Namespace)
        {
            obj.Remove("status"); // the status subresource owns status; a create cannot set it
        }
        else if (NamespaceLifecycle.IsNamespace(kind))
        {
            NamespaceLifecycle.PrepareForCreate(obj);
        }

        // An apply computed its ownership while merging; any other create owns what it sets (an Update entry).
        var applied = context.Operation == "Apply" ? meta["managedFields"]?.DeepClone() : null;
        meta.Remove("managedFields");
        foreach (var check in _admission)
        {
            check.Admit(kind, null, obj, context);
        }

        if (applied is not null)
        {
            meta["managedFields"] = applied;
        }
        else if (context.FieldManager is { Length: > 0 } manager)
        {
            ServerSideApply.RecordUpdate(kind, FieldTypes, null, obj, manager, null, ObjectMeta.Timestamp(_clock.GetUtcNow()));
        }

        if (context.DryRun)
        {
            return obj;
        }

        meta["resourceVersion"] = NextResourceVersion();
        table.Put(key, obj);
        _byUid[meta.Str("uid")!] = (kind, key);
        Publish(new StoreEvent("ADDED", kind, obj, _resourceVersion, null)); // shared: stored objects are never mutated
        return obj;
    }

    private JsonObject CommitUpdate(ResourceKind kind, string key, JsonObject current, JsonObject candidate, WriteContext context)
    {
        CheckTypeMeta(kind, candidate);
        var name = current.Name();
        if (candidate.Name() is { Length: > 0 } candidateName && candidateName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({candidateName}) does not match the name on the URL ({name})");
        }

        if (ObjectMeta.ResourceVersion(candidate) is { Length: > 0 } rv && rv != ObjectMeta.ResourceVersion(current))
        {
            throw ApiException.Conflict(kind, name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        // A patch carries no precondition (handlers/patch.go passes DefaultUpdatedObjectInfo no object), so a uid in its
        // body meets rest.BeforeUpdate's metadata validation instead: ValidateObjectMetaAccessorUpdate holds metadata.uid
        // immutable (422). A PUT's uid is checked before this, as a precondition (409, UpdatePreconditions).
        if (candidate.At("metadata", "uid")?.ToString() is { Length: > 0 } uid && uid != current.Uid())
        {
            throw ApiException.Invalid(kind, name, "metadata.uid", $"Invalid value: \"{uid}\": field is immutable");
        }

        JsonObject next;
        if (context.IsStatus)
        {
            next = WithStatusOf(current, candidate);
            if (context.Operation == "Apply")
            {
                next.Metadata()["managedFields"] = candidate.Metadata()["managedFields"]?.DeepClone();
            }
        }
        else
        {
            next = candidate;
            var meta = next.Metadata();
            var currentMeta = current.Metadata();
            foreach (var field in ServerOwnedMetadata)
            {
                meta[field] = currentMeta[field]?.DeepClone();
                if (meta[field] is null)
                {
                    meta.Remove(field);
                }
            }

            meta["name"] = name;
            if (kind.Namespaced)
            {
                meta["namespace"] = current.Namespace();
            }

            if (context.Operation != "Apply")
            {
                meta["managedFields"] = currentMeta["managedFields"]?.DeepClone(); // ownership is the server's to record
            }

            if (meta["managedFields"] is null)
            {
                meta.Remove("managedFields");
            }

            if (KindRegistry.HasStatus(kind))
            {
                next["status"] = current["status"]?.DeepClone(); // status only changes through /status
                if (next["status"] is null)
                {
                    next.Remove("status");
                }
            }

            if (NamespaceLifecycle.IsNamespace(kind))
            {
                NamespaceLifecycle.PrepareForUpdate(current, next, context.Subresource);
            }

            if (KindRegistry.HasGeneration(kind) && !ObjectMeta.SameSpec(next, current))
            {
                meta["generation"] = ObjectMeta.Generation(current) + 1;
            }
        }

        next.Metadata()["resourceVersion"] = ObjectMeta.ResourceVersion(current);
        foreach (var check in _admission)
        {
            check.Admit(kind, current, next, context);
        }

        if (ObjectMeta.IsDeleting(current) && ObjectMeta.Finalizers(next).Count > ObjectMeta.Finalizers(current).Count)
        {
            throw ApiException.Invalid(kind, name, "metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted");
        }

        if (ObjectMeta.SameExceptServerFields(next, current) && (context.Operation != "Apply" || ManagerEntry.SameOwnership(next, current)))
        {
            return current; // a no-op write (an apply that changes no value and no ownership) does not bump resourceVersion
        }

        if (context.Operation != "Apply" && context.FieldManager is { Length: > 0 } manager)
        {
            ServerSideApply.RecordUpdate(kind, FieldTypes, current, next, manager, context.Subresource, ObjectMeta.Timestamp(_clock.GetUtcNow()));
        }

        if (context.DryRun)
        {
            return next;
        }

        if (ObjectMeta.IsDeleting(next) && ObjectMeta.Finalizers(next).Count == 0 && !NamespaceLifecycle.HoldsDeletion(kind, next))
        {
            return RemoveLocked(kind, key, current);
        }

        return WriteLocked(kind, key, next, current);
    }

    /// <summary>
    /// A copy of <paramref name="current"/> with the status of <paramref name="candidate"/> (a status write), in
    /// current's field order. The candidate is the write's private copy, so its status moves instead of being cloned.
    /// </summary>
    private static JsonObject WithStatusOf(JsonObject current, JsonObject candidate)
    {
        var status = candidate["status"];
        candidate.Remove("status");
        var next = new JsonObject();
        foreach (var (key, value) in current)
        {
            next[key] = key == "status" ? status : value?.DeepClone();
        }

        if (!next.ContainsKey("status"))
        {
            next["status"] = status;
        }

        return next;
    }

    /// <summary>
    /// Stores a new version. The event shares the stored object: stored objects are never mutated (a write stores a
    /// new one), which is what <see cref="StoreEvent.Previous"/> and the cached list JSON already rely on.
    /// </summary>
    private JsonObject WriteLocked(ResourceKind kind, string key, JsonObject next, JsonObject previous)
    {
        next.Metadata()["resourceVersion"] = NextResourceVersion();
        Table(kind).Put(key, next);
        Publish(new StoreEvent("MODIFIED", kind, next, _resourceVersion, previous.Labels()) { Previous = previous });
        return next;
    }

    private JsonObject RemoveLocked(ResourceKind kind, string key, JsonObject current)
    {
        Table(kind).Remove(key);
        _byUid.Remove(current.Uid() ?? string.Empty);
        var gone = current.DeepCopy();
        gone.Metadata()["resourceVersion"] = NextResourceVersion();
        Publish(new StoreEvent("DELETED", kind, gone.DeepCopy(), _resourceVersion, null));
        return gone;
    }

    private bool HasDependentsLocked(string? uid)
    {
        if (uid is null)
        {
            return false;
        }

        foreach (var table in _tables.Values)
        {
            if (table.Items.Values.Any(o => o.IsOwnedBy(uid)))
            {
                return true;
            }
        }

        return false;
    }

    private string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static void CheckTypeMeta(ResourceKind kind, JsonObject obj)
    {
        if (obj.ApiVersion() is { } apiVersion && obj.Kind() is { } k && (apiVersion != kind.ApiVersion || k != kind.Kind))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion}) or kind {k} is not {kind.Kind}");
        }

        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
    }

    private static void CheckNamespace(ResourceKind kind, JsonObject obj, string? ns)
    {
        if (!kind.Namespaced)
        {
            return;
        }

        if (string.IsNullOrEmpty(ns))
        {
            throw ApiException.BadRequest($"the server could not find the requested resource: {kind.Plural} must be created in a namespace");
        }

        if (obj.Namespace() is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
