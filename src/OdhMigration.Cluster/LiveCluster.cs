using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cluster;

/// <summary>
/// The live backing of <see cref="ICluster"/>: KubernetesClient handles configuration and authentication
/// (kubeconfig, exec plugins, in-cluster tokens, TLS); requests go to the REST paths directly with JsonNode bodies,
/// which keeps every kind uniform and Native AOT clean.
/// </summary>
public sealed class LiveCluster : ICluster, IDisposable
{
    private const int PageSize = 500;
    private readonly Kubernetes _client;
    private readonly Uri _base;

    public LiveCluster(KubernetesClientConfiguration configuration)
    {
        _client = new Kubernetes(configuration);
        _base = new Uri(configuration.Host.TrimEnd('/') + "/");
        Description = $"cluster {configuration.CurrentContext ?? "in-cluster"} ({configuration.Host})";
    }

    public string Description { get; }

    public string BackingType => "cluster";

    /// <summary>Counts requests by verb, for tests and reports.</summary>
    public int RequestCount => _requestCount;

    private int _requestCount;

    public static LiveCluster Connect(LiveClusterConnection connection) => new(connection.BuildConfiguration());

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
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
                    // List items omit apiVersion/kind; restore them so every object is self-describing.
                    item["apiVersion"] ??= kind.ApiVersion;
                    item["kind"] ??= kind.Kind;
                    items.Add(item.DeepCopy());
                }
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
        using var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
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

    public void Dispose() => _client.Dispose();

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

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        Interlocked.Increment(ref _requestCount);
        using var response = await _client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static async Task<ClusterException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string reason = response.StatusCode.ToString();
        string message = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            if (JsonNode.Parse(text) is JsonObject status)
            {
                reason = status.Str("reason") ?? reason;
                message = status.Str("message") ?? message;
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy error page, say): keep the HTTP line.
        }

        var retryAfter = response.Headers.RetryAfter is { } header ? header.Delta ?? (header.Date - DateTimeOffset.UtcNow) : null;
        return new ClusterException((int)response.StatusCode, reason, message) { RetryAfter = retryAfter };
    }

    internal static bool IsRetriable(HttpStatusCode code) => (int)code is 429 or 500 or 502 or 503 or 504;
}
