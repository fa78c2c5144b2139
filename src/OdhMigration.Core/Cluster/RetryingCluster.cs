using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>
/// The one place that retries cluster calls, with the API server's semantics per verb (docs/retries.md):
/// <list type="bullet">
/// <item>429 is retried for every verb (the server did not process it), after the Retry-After it sent.</item>
/// <item>5xx, dropped connections and timeouts leave the outcome unknown. Reads, access reviews, server-side apply and
/// merge patches are repeated (a repeat leaves the same state). A create is reconciled by reading the object: there and
/// written by our field manager with what we sent means created; there otherwise is the ordinary 409 AlreadyExists;
/// absent means send it again. A delete is reconciled the same way: gone, terminating or replaced by another uid means
/// done; intact means send it again. A JSON patch is not repeated (it may append twice).</item>
/// </list>
/// Watches are not retried here (a stream that broke half-way cannot be replayed blindly); their callers re-list and
/// re-watch. Wrapping a <see cref="RetryingCluster"/> again replaces its policy instead of nesting a second layer.
/// </summary>
public sealed class RetryingCluster : ICluster
{
    private readonly ICluster _inner;
    private readonly RetryPolicy _policy;
    private readonly IStageLog? _log;

    public RetryingCluster(ICluster inner, RetryPolicy policy, IStageLog? log = null)
    {
        // Exactly one layer decides: never retry around a cluster that already retries.
        _inner = inner is RetryingCluster retrying ? retrying._inner : inner;
        _policy = policy;
        _log = log;
    }

    /// <summary>A reader that retries: a live cluster wrapped, a snapshot (which has no transient failures) as it is.</summary>
    public static IClusterReader Over(IClusterReader reader, RetryPolicy policy, IStageLog? log = null) =>
        reader is ICluster cluster ? new RetryingCluster(cluster, policy, log) : reader;

    public ICluster Inner => _inner;

    public RetryPolicy Policy => _policy;

    public string Description => _inner.Description;

    public string BackingType => _inner.BackingType;

    public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        _policy.RunAsync($"list {kind.Plural}{In(ns)}", ct => _inner.ListAsync(kind, ns, labelSelector, ct), null, _log, cancellationToken);

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        GetWithinAsync(_policy, kind, ns, name, cancellationToken);

    public Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) =>
        _policy.RunAsync($"apply {obj.Kind()} {Id(obj.Namespace(), obj.Name())}", ct => _inner.ApplyAsync(obj, options, ct), null, _log, cancellationToken);

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var what = $"patch {kind.Kind} {Id(ns, name)}";

        // Merge patches and apply patches set values: sending one twice leaves the object as once. A JSON patch can
        // add to a list, so one whose answer was lost is not sent again.
        Func<Exception, TimeSpan, CancellationToken, Task<Settled<JsonObject>?>>? settle = patchKind == PatchKind.Json
            ? (failure, _, _) => throw new ClusterException(0, "Unknown", $"{what}: {RetryPolicy.Describe(failure)}; a JSON patch may have been applied before the answer was lost, so it is not sent again ({PlainErrors.Describe(failure)})", failure)
            : null;
        return _policy.RunAsync(what, ct => _inner.PatchAsync(kind, ns, name, patchKind, body, options, ct), settle, _log, cancellationToken);
    }

    public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) =>
        _policy.RunAsync($"access review {verb} {kind.Plural}{In(ns)}", ct => _inner.CanIAsync(verb, kind, ns, ct), null, _log, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default) =>
        _inner.WatchAsync(kind, ns, fieldSelector, resourceVersion, cancellationToken);

    /// <summary>
    /// POST, reconciled when its outcome is unknown. A 409 after an earlier attempt that may have been processed is
    /// reconciled too: it may be our own create answering late.
    /// </summary>
    public Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var kind = Kinds.Find(obj.ApiVersion(), obj.Kind());
        var (ns, name) = (obj.Namespace(), obj.Name());
        var what = $"create {obj.Kind()} {Id(ns, name)}";
        if (options.DryRun || kind is null || string.IsNullOrEmpty(name))
        {
            // Nothing to read back (a dry run changes nothing; a generated name cannot be looked up): only a 429 is safe to repeat.
            return _policy.RunAsync(what, ct => _inner.CreateAsync(obj, options, ct), options.DryRun ? null : NotRepeated<JsonObject>(what), _log, cancellationToken);
        }

        var uncertain = false;
        var budget = _policy.Deadline;
        async Task<JsonObject> Attempt(CancellationToken ct)
        {
            try
            {
                return await _inner.CreateAsync(obj, options, ct).ConfigureAwait(false);
            }
            catch (ClusterException ex) when (ex.IsConflict && uncertain)
            {
                if (await SettleCreateAsync(kind, obj, options, what, ex, budget, ct).ConfigureAwait(false) is { } settled)
                {
                    return settled.Result;
                }

                throw;
            }
        }

        return _policy.RunAsync(what, Attempt, async (failure, remaining, ct) =>
        {
            uncertain = true;
            budget = remaining;
            return await SettleCreateAsync(kind, obj, options, what, failure, remaining, ct).ConfigureAwait(false);
        }, _log, cancellationToken);
    }

    /// <summary>
    /// DELETE, reconciled when its outcome is unknown; true when the object is gone or going. After an attempt that may
    /// have been processed, a 404 or a failed uid precondition means that attempt (or the garbage collector) removed it.
    /// </summary>
    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var what = $"delete {kind.Kind} {Id(ns, name)}";
        if (options.DryRun)
        {
            return _policy.RunAsync(what, ct => _inner.DeleteAsync(kind, ns, name, options, ct), null, _log, cancellationToken);
        }

        var uncertain = false;
        async Task<bool> Attempt(CancellationToken ct)
        {
            try
            {
                var deleted = await _inner.DeleteAsync(kind, ns, name, options, ct).ConfigureAwait(false);
                return deleted || uncertain;
            }
            catch (ClusterException ex) when (ex.IsConflict && uncertain && options.PreconditionUid is not null)
            {
                _log?.Info($"{what}: uid precondition failed after an attempt whose answer was lost: uid {options.PreconditionUid} is gone");
                return true;
            }
        }

        return _policy.RunAsync(what, Attempt, async (failure, remaining, ct) =>
        {
            uncertain = true;
            var live = await GetWithinAsync(_policy.Within(remaining), kind, ns, name, ct).ConfigureAwait(false);
            var state = live is null ? "gone"
                : options.PreconditionUid is not null && live.Uid() != options.PreconditionUid ? $"replaced (uid {live.Uid()})"
                : live.At("metadata", "deletionTimestamp") is not null ? "terminating"
                : null;
            if (state is null)
            {
                return null;
            }

            _log?.Info($"{what}: the answer was lost ({RetryPolicy.Describe(failure)}); the object is {state}: deleted");
            return new Settled<bool>(true);
        }, _log, cancellationToken);
    }

    private Task<JsonObject?> GetWithinAsync(RetryPolicy policy, ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        policy.RunAsync($"get {kind.Kind} {Id(ns, name)}", ct => _inner.GetAsync(kind, ns, name, ct), null, _log, cancellationToken);

    /// <summary>
    /// Reads the object a create may have made. Absent: not created, send again (null). There, written by our field
    /// manager and holding what we sent: created. There otherwise: 409 AlreadyExists, as the server would have answered.
    /// </summary>
    private async Task<Settled<JsonObject>?> SettleCreateAsync(ResourceKind kind, JsonObject sent, WriteOptions options, string what, Exception failure, TimeSpan remaining, CancellationToken ct)
    {
        var live = await GetWithinAsync(_policy.Within(remaining), kind, sent.Namespace(), sent.Name(), ct).ConfigureAwait(false);
        if (live is null)
        {
            return null;
        }

        if (live.At("metadata", "deletionTimestamp") is null && IsManagedBy(live, options.FieldManager) && Holds(live, sent))
        {
            _log?.Info($"{what}: the answer was lost ({RetryPolicy.Describe(failure)}); it exists, written by {options.FieldManager} as sent (uid {live.Uid()}): created");
            return new Settled<JsonObject>(live);
        }

        throw new ClusterException(409, "AlreadyExists", $"{what}: already exists (uid {live.Uid()}); it is not the object this create sent, or not only its work", failure);
    }

    private static Func<Exception, TimeSpan, CancellationToken, Task<Settled<T>?>> NotRepeated<T>(string what) =>
        (failure, _, _) => throw new ClusterException(0, "Unknown", $"{what}: {RetryPolicy.Describe(failure)}; it may have been processed and cannot be checked, so it is not sent again ({PlainErrors.Describe(failure)})", failure);

    private static bool IsManagedBy(JsonObject obj, string fieldManager) =>
        obj.At("metadata", "managedFields") is JsonArray fields && fields.OfType<JsonObject>().Any(f => f.Str("manager") == fieldManager);

    /// <summary>Whether every field the create sent is in the live object (the server adds fields; status and server metadata are its own).</summary>
    private static bool Holds(JsonObject live, JsonObject sent)
    {
        foreach (var (key, value) in sent)
        {
            if (key is "status")
            {
                continue;
            }

            if (key is "metadata" && value is JsonObject metadata && live["metadata"] is JsonObject liveMetadata)
            {
                if (metadata.Where(p => p.Key is not ("resourceVersion" or "uid" or "creationTimestamp" or "generation" or "managedFields")).Any(p => !Contains(liveMetadata[p.Key], p.Value)))
                {
                    return false;
                }

                continue;
            }

            if (!Contains(live[key], value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(JsonNode? live, JsonNode? sent) => (live, sent) switch
    {
        (_, null) => true,
        (JsonObject l, JsonObject s) => s.All(p => Contains(l[p.Key], p.Value)),
        (JsonArray l, JsonArray s) => l.Count == s.Count && s.Select((item, i) => Contains(l[i], item)).All(x => x),
        _ => JsonNode.DeepEquals(live, sent),
    };

    private static string In(string? ns) => ns is null ? "" : $" in {ns}";

    private static string Id(string? ns, string? name) => ns is null ? name ?? "" : $"{ns}/{name}";
}
