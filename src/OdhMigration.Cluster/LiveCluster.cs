using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cluster;

/// <summary>
/// The live backing of <see cref="ICluster"/>: KubernetesClient handles configuration and authentication
/// (kubeconfig, exec plugins, in-cluster tokens, TLS); requests go to the REST paths directly with JsonNode bodies,
/// which keeps every kind uniform and Native AOT clean. Each request is sent once: the stages wrap this in
/// <see cref="RetryingCluster"/>, the suite's only retry layer.
/// </summary>
public sealed class LiveCluster : ICluster, IDisposable
{
    private const int PageSize = 500;
    private const int MaxListRestarts = 3;
    private readonly HttpClient _http;
    private readonly IDisposable? _owner;
    private readonly Uri _base;
    private int _requestCount;

    public LiveCluster(KubernetesClientConfiguration configuration)
    {
        var client = new Kubernetes(configuration);
        _owner = client;
        _http = client.HttpClient;
        _base = new Uri(configuration.Host.TrimEnd('/') + "/");
        Description = $"cluster {configuration.CurrentContext ?? "in-cluster"} ({configuration.Host})";
    }

    /// <summary>Over a given HttpClient (tests: a scripted handler).</summary>
    internal LiveCluster(HttpClient http, Uri baseUri)
    {
        _http = http;
        _base = new Uri(baseUri.ToString().TrimEnd('/') + "/");
        Description = $"cluster ({baseUri})";
    }

    /// <summary>How long one request may wait for its answer before it counts as a timeout (a hung connection must not hang a stage).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Description { get; }

    public string BackingType => "cluster";

    /// <summary>HTTP requests sent (tests and reports).</summary>
    public int RequestCount => _requestCount;

    /// <summary>Where notes (a kind the server does not serve, a restarted list) go; the command line sets it to the stage log.</summary>
    public IStageLog? Log { get; set; }

    public static LiveCluster Connect(LiveClusterConnection connection) => new(connection.BuildConfiguration());

    public static LiveCluster Connect(LiveClusterConnection connection, IStageLog? log) => new(connection.BuildConfiguration()) { Log = log };

    /// <summary>
    /// Pages through the collection (limit/continue). A list of a kind the server does not serve (its CRD is not
    /// installed: 404) is empty, as it is in a snapshot without such objects. An expired continue token (410) restarts
    /// the list, since pages from two different snapshots of the collection must not be mixed.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        for (var restart = 0; ; restart++)
        {
            try
            {
                return await ListPagesAsync(kind, ns, labelSelector, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException ex) when (ex.IsNotFound)
            {
                Log?.Debug($"list {kind} {(ns is null ? "(all namespaces)" : "in " + ns)}: the API server does not serve this kind (404); treated as none");
                return [];
            }
            catch (ClusterException ex) when (ex.StatusCode == 410 && restart < MaxListRestarts)
            {
                Log?.Warn($"list {kind}: the continue token expired while paging (410); listing again from the start");
            }
        }
    }

    private async Task<IReadOnlyList<JsonObject>> ListPagesAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? continueToken = null;
        do
        {
            var query = new StringBuilder($"?limit={PageSize}");
            if (!string.IsNullOrEmpty(labelSelector))
            {
                query.Append("&labelSelector=").Append(Uri.EscapeDataString(labelSelector));
            }

            if (continueToken is not null)
            {
                query.Append("&continue=").Append(Uri.EscapeDataString(continueToken));
            }

            var page = await SendAsync(HttpMethod.Get, kind.CollectionPath(ns) + query, null, null, cancellationToken).ConfigureAwait(false);
            if (page?["items"] is JsonArray array)
            {
                foreach (var item in array.OfType<JsonObject>())
                {
                    // List items of built-in kinds omit apiVersion/kind; restore them in front, where a single GET has
                    // them, so every object is self-describing and serialises the same way from either source.
                    if (item["kind"] is null)
                    {
                        item.Insert(0, "kind", kind.Kind);
                    }

                    if (item["apiVersion"] is null)
                    {
                        item.Insert(0, "apiVersion", kind.ApiVersion);
                    }
                }

                // Detach the items from the page instead of deep-copying each one (large namespaces).
                var detached = array.OfType<JsonObject>().ToList();
                array.Clear();
                items.AddRange(detached);
            }

            continueToken = page.At("metadata").Str("continue");
        }
        while (!string.IsNullOrEmpty(continueToken));

        return items;
    }

    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, kind.ItemPath(ns, name), null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var kind = KindOf(obj);
        var query = WriteQuery(options, apply: false);
        return (await SendAsync(HttpMethod.Post, kind.CollectionPath(obj.Namespace()) + query, obj.ToJsonString(), "application/json", cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var kind = KindOf(obj);
        var query = WriteQuery(options, apply: true);
        return (await SendAsync(HttpMethod.Patch, kind.ItemPath(obj.Namespace(), obj.Name()) + query, obj.ToJsonString(), "application/apply-patch+yaml", cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var contentType = patchKind switch
        {
            PatchKind.Json => "application/json-patch+json",
            PatchKind.Apply => "application/apply-patch+yaml",
            _ => "application/merge-patch+json",
        };
        var query = WriteQuery(options, apply: patchKind == PatchKind.Apply);
        return (await SendAsync(HttpMethod.Patch, kind.ItemPath(ns, name) + query, body, contentType, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = options.PropagationPolicy };
        if (options.DryRun)
        {
            body["dryRun"] = new JsonArray("All");
        }

        if (options.PreconditionUid is not null)
        {
            body["preconditions"] = new JsonObject { ["uid"] = options.PreconditionUid };
        }

        try
        {
            await SendAsync(HttpMethod.Delete, kind.ItemPath(ns, name) + (options.DryRun ? "?dryRun=All" : ""), body.ToJsonString(), "application/json", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClusterException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder("?watch=true&allowWatchBookmarks=false");
        if (fieldSelector is not null)
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(fieldSelector));
        }

        if (resourceVersion is not null)
        {
            query.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, kind.CollectionPath(ns).TrimStart('/') + query));
        Interlocked.Increment(ref _requestCount);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, HttpMethod.Get, kind.CollectionPath(ns), cancellationToken).ConfigureAwait(false);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var node = JsonNode.Parse(line);
            if (node?["object"] is JsonObject obj && node.Str("type") is { } type)
            {
                yield return new WatchEvent(type, obj.DeepCopy());
            }
        }
    }

    public async Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["group"] = kind.Group, ["resource"] = kind.Plural, ["namespace"] = ns },
            },
        };
        var result = await SendAsync(HttpMethod.Post, Kinds.SelfSubjectAccessReview.CollectionPath(null), review.ToJsonString(), "application/json", cancellationToken).ConfigureAwait(false);
        return result.At("status", "allowed")?.GetValueKind() == JsonValueKind.True;
    }

    public void Dispose() => _owner?.Dispose();

    private static ResourceKind KindOf(JsonObject obj) =>
        Kinds.Find(obj.ApiVersion(), obj.Kind()) ?? throw new ClusterException(400, "BadRequest", $"unknown kind {obj.Kind()} ({obj.ApiVersion()}) for {obj.Name()}");

    private static string WriteQuery(WriteOptions options, bool apply)
    {
        var query = new StringBuilder("?fieldManager=").Append(Uri.EscapeDataString(options.FieldManager));
        if (apply && options.Force)
        {
            query.Append("&force=true");
        }

        if (options.DryRun)
        {
            query.Append("&dryRun=All");
        }

        return query.ToString();
    }

    /// <summary>
    /// One request, sent once: retrying is <see cref="RetryingCluster"/>'s decision alone. Failures become
    /// <see cref="ClusterException"/>s that say what is known: the server's status and Retry-After, or status 0 with
    /// Timeout or ConnectionLost when no answer came (the request may still have been processed).
    /// </summary>
    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        var shown = path.Split('?')[0];
        using var request = new HttpRequestMessage(method, new Uri(_base, path.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(RequestTimeout);
        Interlocked.Increment(ref _requestCount);
        try
        {
            using var response = await _http.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token).ConfigureAwait(false);
                return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
            }

            throw await ToExceptionAsync(response, method, shown, attemptTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException(0, "Timeout", $"{method} {shown}: no answer within {RequestTimeout.TotalSeconds:0.#} s", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ClusterException(0, "ConnectionLost", $"{method} {shown}: the connection to the API server failed ({PlainErrors.Describe(ex)})", ex);
        }
    }

    /// <summary>Retry-After as delta-seconds or an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<ClusterException> ToExceptionAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string reason = response.StatusCode.ToString();
        string message = $"{method} {path}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            if (JsonNode.Parse(text) is JsonObject status)
            {
                reason = status.Str("reason") ?? reason;
                message = status.Str("message") is { } detail ? $"{method} {path}: {detail}" : message;
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy error page, say): keep the HTTP line.
        }

        return new ClusterException((int)response.StatusCode, reason, message) { RetryAfter = RetryAfter(response) };
    }
}
