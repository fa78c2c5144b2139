using System.Net;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cluster.Tests.Live;

public sealed class LiveClusterRetryTests
{
    private static readonly RetryPolicy Fast = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromMilliseconds(300) };
    private const string EmptyList = """{"kind":"InferenceServiceList","apiVersion":"serving.kserve.io/v1beta1","metadata":{},"items":[]}""";
    private const string Isvc = """{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"m","namespace":"p"}}""";

    private static (LiveCluster Cluster, ScriptedHandler Handler, List<TimeSpan> Waits) Create(Func<HttpRequestMessage, int, Task<HttpResponseMessage>> respond, RetryPolicy? policy = null)
    {
        var handler = new ScriptedHandler(respond);
        var waits = new List<TimeSpan>();
        var cluster = new LiveCluster(new HttpClient(handler), new Uri("https://api.test:6443"), policy ?? Fast, (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        });
        return (cluster, handler, waits);
    }

    [Fact]
    public async Task Http_429_is_retried_after_the_delay_the_server_asks_for()
    {
        var (cluster, handler, waits) = Create((_, n) =>
        {
            if (n == 1)
            {
                var busy = ScriptedHandler.Status(HttpStatusCode.TooManyRequests, "TooManyRequests", "slow down");
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
                return Task.FromResult(busy);
            }

            return Task.FromResult(ScriptedHandler.Json(HttpStatusCode.OK, Isvc));
        });

        var isvc = await cluster.GetAsync(Kinds.InferenceService, "p", "m", TestContext.Current.CancellationToken);
        Assert.Equal("m", isvc!.Name());
        Assert.Equal([TimeSpan.FromSeconds(3)], waits);
        Assert.Equal(2, handler.Count);
        Assert.Equal(2, cluster.RequestCount);
    }

    [Fact]
    public async Task A_create_is_retried_on_429_but_not_on_503()
    {
        var (cluster, handler, _) = Create((_, n) => Task.FromResult(n == 1
            ? ScriptedHandler.Status(HttpStatusCode.TooManyRequests, "TooManyRequests", "slow down")
            : ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "etcd leader change")));

        var obj = Manifest.NewObject(Kinds.ServiceAccount, "sa", "p");
        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.CreateAsync(obj, new WriteOptions(), TestContext.Current.CancellationToken));
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, handler.Count); // the 503 may hide a create that happened: not repeated
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_give_up_naming_the_request()
    {
        var (cluster, handler, waits) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.BadGateway, "BadGateway", "upstream down")));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken));
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("GET /apis/serving.kserve.io/v1beta1/namespaces/p/inferenceservices", error.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, handler.Count);
        Assert.Equal(3, waits.Count);
        Assert.True(waits[0] < waits[1] && waits[1] < waits[2], string.Join(", ", waits));
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(100), Fast.MaxDelay));
    }

    [Fact]
    public async Task A_timed_out_read_is_retried()
    {
        var (cluster, handler, _) = Create(async (_, n) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            }

            return ScriptedHandler.Json(HttpStatusCode.OK, EmptyList);
        });

        var items = await cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken);
        Assert.Empty(items);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task Forbidden_is_not_retried_and_keeps_the_server_message()
    {
        var (cluster, handler, _) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.Forbidden, "Forbidden",
            "inferenceservices.serving.kserve.io is forbidden: User \\\"dev\\\" cannot list resource \\\"inferenceservices\\\" in namespace \\\"p\\\"")));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken));
        Assert.True(error.IsForbidden);
        Assert.Contains("cannot list resource \"inferenceservices\" in namespace \"p\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task Lists_follow_continue_tokens_and_restore_kind_on_items()
    {
        var (cluster, handler, _) = Create((request, n) =>
        {
            var page = n switch
            {
                1 => """{"metadata":{"continue":"t1"},"items":[{"metadata":{"name":"a","namespace":"p"}}]}""",
                _ => """{"metadata":{},"items":[{"metadata":{"name":"b","namespace":"p"}}]}""",
            };
            return Task.FromResult(ScriptedHandler.Json(HttpStatusCode.OK, page));
        });

        var items = await cluster.ListAsync(Kinds.InferenceService, "p", "team=red", TestContext.Current.CancellationToken);
        Assert.Equal(["a", "b"], items.Select(i => i.Name()));
        Assert.All(items, i => Assert.Equal(("InferenceService", "serving.kserve.io/v1beta1"), (i.Kind(), i.ApiVersion())));
        Assert.Contains("limit=500", handler.Seen[0], StringComparison.Ordinal);
        Assert.Contains("labelSelector=team%3Dred", handler.Seen[0], StringComparison.Ordinal);
        Assert.Contains("continue=t1", handler.Seen[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_continue_token_restarts_the_list_from_the_beginning()
    {
        var (cluster, _, _) = Create((_, n) => Task.FromResult(n switch
        {
            1 => ScriptedHandler.Json(HttpStatusCode.OK, """{"metadata":{"continue":"t1"},"items":[{"metadata":{"name":"a"}}]}"""),
            2 => ScriptedHandler.Status(HttpStatusCode.Gone, "Expired", "continue token expired"),
            3 => ScriptedHandler.Json(HttpStatusCode.OK, """{"metadata":{"continue":"t2"},"items":[{"metadata":{"name":"a"}}]}"""),
            _ => ScriptedHandler.Json(HttpStatusCode.OK, """{"metadata":{},"items":[{"metadata":{"name":"b"}}]}"""),
        }));

        var items = await cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken);
        Assert.Equal(["a", "b"], items.Select(i => i.Name()));
    }

    [Fact]
    public async Task A_kind_the_server_does_not_serve_lists_as_empty_but_a_missing_object_is_null()
    {
        var (cluster, _, _) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource")));
        Assert.Empty(await cluster.ListAsync(Kinds.Route, "istio-system", null, TestContext.Current.CancellationToken));
        Assert.Null(await cluster.GetAsync(Kinds.Route, "istio-system", "x", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_policy_allows_fails_instead_of_hanging()
    {
        var (cluster, handler, waits) = Create((_, _) =>
        {
            var busy = ScriptedHandler.Status(HttpStatusCode.TooManyRequests, "TooManyRequests", "slow down");
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1));
            return Task.FromResult(busy);
        });

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.GetAsync(Kinds.InferenceService, "p", "m", TestContext.Current.CancellationToken));
        Assert.Contains("asked to retry after 3600 s", error.Message, StringComparison.Ordinal);
        Assert.Empty(waits);
        Assert.Equal(1, handler.Count);
    }
}
