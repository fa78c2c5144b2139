using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.TestDoubles;

/// <summary>
/// A small in-memory ICluster for engine unit tests: uids, resourceVersions, managedFields, finalizers
/// (deletionTimestamp), uid preconditions, merge patches and a fault hook. It is not the simulator: the
/// integration tests run against that.
/// </summary>
public sealed class InMemoryCluster : ICluster
{
    private readonly Dictionary<(string Kind, string? Ns, string Name), JsonObject> _objects = [];
    private readonly Lock _lock = new();
    private int _version;

    public string Description => "in-memory test cluster";
    public string BackingType => "cluster";

    /// <summary>Called before every request with (verb, kind, namespace, name); return an exception to fail the request.</summary>
    public Func<string, string, string?, string, Exception?>? Fault { get; set; }

    /// <summary>Called after a write with (verb, object); e.g. a fake controller marking an ISVC Ready.</summary>
    public Action<string, JsonObject>? AfterWrite { get; set; }

    public List<string> Requests { get; } = [];

    public void Seed(params JsonObject[] objects)
    {
        foreach (var obj in objects)
        {
            lock (_lock)
            {
                var copy = obj.DeepCopy();
                copy.Metadata()["uid"] ??= Guid.NewGuid().ToString();
                copy.Metadata()["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
                _objects[Key(copy.Kind()!, copy.Namespace(), copy.Name())] = copy;
            }
        }
    }

    public JsonObject? Peek(string kind, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(Key(kind, ns, name), out var obj) ? obj.DeepCopy() : null;
        }
    }

    /// <summary>
    /// What KServe does with a deleted ISVC: once the object is marked for deletion, it runs its cleanup for
    /// <paramref name="after"/> and then drops the finalizer, so the deletion finishes. Fails with a
    /// <see cref="TimeoutException"/> when nothing marks the object for deletion within <paramref name="timeout"/>
    /// (default 30 s), so a test whose engine never deletes ends instead of leaving this loop running.
    /// </summary>
    public Task FinishDeletionAfterAsync(string kind, string? ns, string name, TimeSpan after, TimeSpan? timeout = null) => Task.Run(async () =>
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Peek(kind, ns, name)?.At("metadata", "deletionTimestamp") is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{kind} {ns}/{name} was not marked for deletion within {timeout ?? TimeSpan.FromSeconds(30)}");
            }

            await Task.Delay(5);
        }

        await Task.Delay(after);
        RemoveFinalizers(kind, ns, name);
    });

    /// <summary>Finishes a pending deletion (what a controller does once its finalizer ran).</summary>
    public void RemoveFinalizers(string kind, string? ns, string name)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(Key(kind, ns, name), out var obj))
            {
                obj.Metadata().Remove("finalizers");
                if (obj.At("metadata", "deletionTimestamp") is not null)
                {
                    _objects.Remove(Key(kind, ns, name));
                }
            }
        }
    }

    public IReadOnlyList<JsonObject> All(string kind)
    {
        lock (_lock)
        {
            return _objects.Where(kv => kv.Key.Kind == kind).Select(kv => kv.Value.DeepCopy()).ToList();
        }
    }

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        Check("list", kind.Kind, ns, "");
        var selector = LabelSelector.Parse(labelSelector);
        lock (_lock)
        {
            IReadOnlyList<JsonObject> items = _objects.Where(kv => kv.Key.Kind == kind.Kind && (ns is null || kv.Key.Ns == ns) && selector.Matches(kv.Value.Labels()))
                .Select(kv => kv.Value.DeepCopy()).ToList();
            return Task.FromResult(items);
        }
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        Check("get", kind.Kind, ns, name);
        return Task.FromResult(Peek(kind.Kind, kind.Namespaced ? ns : null, name));
    }

    public Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default)
    {
        Check("create", obj.Kind()!, obj.Namespace(), obj.Name());
        lock (_lock)
        {
            var key = Key(obj.Kind()!, obj.Namespace(), obj.Name());
            if (_objects.ContainsKey(key))
            {
                throw new ClusterException(409, "AlreadyExists", $"{obj.Kind()} {obj.Name()} already exists");
            }

            var stored = Stamp(obj.DeepCopy(), null, options.FieldManager);
            if (!options.DryRun)
            {
                _objects[key] = stored;
            }

            return Task.FromResult(Notify("create", stored, options));
        }
    }

    public Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default)
    {
        Check("apply", obj.Kind()!, obj.Namespace(), obj.Name());
        lock (_lock)
        {
            var key = Key(obj.Kind()!, obj.Namespace(), obj.Name());
            _objects.TryGetValue(key, out var existing);
            var stored = Stamp(obj.DeepCopy(), existing, options.FieldManager);
            if (existing?["status"] is { } status)
            {
                stored["status"] = status.DeepClone();
            }

            if (!options.DryRun)
            {
                _objects[key] = stored;
            }

            return Task.FromResult(Notify("apply", stored, options));
        }
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        Check("patch", kind.Kind, ns, name);
        lock (_lock)
        {
            var key = Key(kind.Kind, kind.Namespaced ? ns : null, name);
            if (!_objects.TryGetValue(key, out var existing))
            {
                throw new ClusterException(404, "NotFound", $"{kind.Kind} {name} not found");
            }

            var patched = existing.DeepCopy();
            MergePatch(patched, JsonNode.Parse(body)!.AsObject());
            var stored = Stamp(patched, existing, options.FieldManager);
            if (!options.DryRun)
            {
                _objects[key] = stored;
            }

            return Task.FromResult(Notify("patch", stored, options));
        }
    }

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        Check("delete", kind.Kind, ns, name);
        lock (_lock)
        {
            var key = Key(kind.Kind, kind.Namespaced ? ns : null, name);
            if (!_objects.TryGetValue(key, out var existing))
            {
                return Task.FromResult(false);
            }

            if (options.PreconditionUid is { } uid && existing.Uid() != uid)
            {
                throw new ClusterException(409, "Conflict", $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid()}");
            }

            if (options.DryRun)
            {
                return Task.FromResult(true);
            }

            if (existing.At("metadata", "finalizers") is JsonArray { Count: > 0 })
            {
                existing.Metadata()["deletionTimestamp"] ??= DateTimeOffset.UtcNow.ToString("O");
            }
            else
            {
                _objects.Remove(key);
            }

            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Not a real watch: the engines must cope with a watch that ends, by re-reading.
        await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) => Task.FromResult(true);

    private static (string, string?, string) Key(string kind, string? ns, string name) => (kind, kind == "Namespace" ? null : ns, name);

    private JsonObject Stamp(JsonObject obj, JsonObject? existing, string manager)
    {
        var metadata = obj.Metadata();
        metadata["uid"] = existing?.Uid() ?? Guid.NewGuid().ToString();
        metadata["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var managers = existing?.At("metadata", "managedFields") is JsonArray m ? (JsonArray)m.DeepClone() : new JsonArray();
        if (!managers.OfType<JsonObject>().Any(f => f.Str("manager") == manager))
        {
            managers.Add((JsonNode)new JsonObject { ["manager"] = manager, ["operation"] = "Apply" });
        }

        metadata["managedFields"] = managers;
        if (existing?.At("metadata", "deletionTimestamp") is { } deleting)
        {
            metadata["deletionTimestamp"] = deleting.DeepClone();
        }

        return obj;
    }

    private JsonObject Notify(string verb, JsonObject stored, WriteOptions options)
    {
        if (!options.DryRun)
        {
            AfterWrite?.Invoke(verb, stored);
        }

        return stored.DeepCopy();
    }

    private void Check(string verb, string kind, string? ns, string name)
    {
        lock (_lock)
        {
            Requests.Add($"{verb} {kind} {ns}/{name}");
        }

        if (Fault?.Invoke(verb, kind, ns, name) is { } ex)
        {
            throw ex;
        }
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
