using System.Net;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cluster.Tests.Live;

/// <summary>
/// The live client under the one retry layer (<see cref="RetryingCluster"/>), over a scripted API: how many requests
/// each verb sends for each kind of failure, and what an unknown outcome is reconciled to.
/// </summary>
public sealed class LiveClusterRetryTests
{
    private const string EmptyList = """{"kind":"InferenceServiceList","apiVersion":"serving.kserve.io/v1beta1","metadata":{},"items":[]}""";
    private const string Isvc = """{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"m","namespace":"p"}}""";

    private static (RetryingCluster Cluster, LiveCluster Live, ScriptedHandler Handler, List<TimeSpan> Waits) Create(Func<HttpRequestMessage, int, Task<HttpResponseMessage>> respond, RetryPolicy? policy = null)
    {
        var handler = new ScriptedHandler(respond);
        var waits = new List<TimeSpan>();
        var live = new LiveCluster(new HttpClient(handler), new Uri("https://api.test:6443")) { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        var fast = (policy ?? new RetryPolicy(4, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1))) with
        {
            Delay = (wait, _) =>
            {
                waits.Add(wait);
                return Task.CompletedTask;
            },
        };
        return (new RetryingCluster(live, fast), live, handler, waits);
    }

    private static HttpResponseMessage Busy(TimeSpan retryAfter)
    {
        var busy = ScriptedHandler.Status(HttpStatusCode.TooManyRequests, "TooManyRequests", "slow down");
        busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
        return busy;
    }

    private static JsonObject ServiceAccount(string manager = "odh-migration") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject
        {
            ["name"] = "sa",
            ["namespace"] = "p",
            ["uid"] = "u-sa",
            ["labels"] = new JsonObject { ["team"] = "red" },
            ["managedFields"] = new JsonArray(new JsonObject { ["manager"] = manager, ["operation"] = "Update" }),
        },
    };

    private static JsonObject Planned() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject { ["name"] = "sa", ["namespace"] = "p", ["labels"] = new JsonObject { ["team"] = "red" } },
    };

    private static int Count(ScriptedHandler handler, string method)
    {
        lock (handler.Seen)
        {
            return handler.Seen.Count(s => s.StartsWith(method + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_live_client_alone_sends_each_request_once_and_reports_what_the_server_said()
    {
        var (_, live, handler, _) = Create((_, _) => Task.FromResult(Busy(TimeSpan.FromSeconds(2))));

        var error = await Assert.ThrowsAsync<ClusterException>(() => live.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task Http_429_is_retried_after_the_delay_the_server_asks_for()
    {
        var (cluster, live, handler, waits) = Create((_, n) => Task.FromResult(n == 1 ? Busy(TimeSpan.FromSeconds(3)) : ScriptedHandler.Json(HttpStatusCode.OK, Isvc)));

        var isvc = await cluster.GetAsync(Kinds.InferenceService, "p", "m", TestContext.Current.CancellationToken);

        Assert.Equal("m", isvc!.Name());
        Assert.Equal([TimeSpan.FromSeconds(3)], waits);
        Assert.Equal(2, handler.Count);
        Assert.Equal(2, live.RequestCount);
    }

    [Fact]
    public async Task A_429_on_a_create_is_sent_at_most_the_documented_six_times_under_the_default_policy()
    {
        var (cluster, _, handler, waits) = Create((_, _) => Task.FromResult(Busy(TimeSpan.FromSeconds(1))), RetryPolicy.Default);

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken));

        Assert.Equal(429, error.StatusCode);
        Assert.Contains("gave up after 6 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, Count(handler, "POST"));
        Assert.Equal(6, handler.Count); // a 429 was not processed: nothing to read back
        Assert.All(waits, w => Assert.Equal(TimeSpan.FromSeconds(1), w));
    }

    [Fact]
    public async Task Wrapping_a_retrying_cluster_again_does_not_multiply_attempts()
    {
        var (inner, _, handler, _) = Create((_, _) => Task.FromResult(Busy(TimeSpan.Zero)));
        var outer = new RetryingCluster(inner, RetryPolicy.Immediate(3));

        await Assert.ThrowsAsync<ClusterException>(() => outer.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken));

        Assert.Equal(3, handler.Count);
        Assert.Same(inner.Inner, outer.Inner);
    }

    [Fact]
    public async Task A_create_that_got_a_5xx_without_being_processed_is_read_back_and_sent_again()
    {
        var posts = 0;
        var (cluster, _, handler, _) = Create((request, _) => Task.FromResult(request.Method == HttpMethod.Post
            ? Interlocked.Increment(ref posts) == 1
                ? ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "etcd leader change")
                : ScriptedHandler.Json(HttpStatusCode.Created, ServiceAccount().ToJsonString())
            : ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "serviceaccounts sa not found")));

        var created = await cluster.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken);

        Assert.Equal("u-sa", created.Uid());
        Assert.Equal(2, Count(handler, "POST"));
        Assert.Equal(1, Count(handler, "GET"));
    }

    [Fact]
    public async Task A_create_processed_before_its_answer_was_lost_is_reconciled_without_a_duplicate_or_a_failure()
    {
        JsonObject? stored = null;
        var (cluster, _, handler, _) = Create((request, _) =>
        {
            if (request.Method == HttpMethod.Post)
            {
                if (stored is not null)
                {
                    return Task.FromResult(ScriptedHandler.Status(HttpStatusCode.Conflict, "AlreadyExists", "serviceaccounts \\\"sa\\\" already exists"));
                }

                stored = ServiceAccount();
                throw new HttpRequestException("the response ended prematurely");
            }

            return Task.FromResult(stored is null
                ? ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "not found")
                : ScriptedHandler.Json(HttpStatusCode.OK, stored.ToJsonString()));
        });

        var created = await cluster.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken);

        Assert.Equal("u-sa", created.Uid());
        Assert.Equal(1, Count(handler, "POST"));
        Assert.Equal(1, Count(handler, "GET"));
    }

    [Fact]
    public async Task A_lost_create_answer_over_someone_elses_object_is_the_ordinary_409()
    {
        var (cluster, _, handler, _) = Create((request, _) => Task.FromResult(request.Method == HttpMethod.Post
            ? ScriptedHandler.Status(HttpStatusCode.InternalServerError, "InternalError", "boom")
            : ScriptedHandler.Json(HttpStatusCode.OK, ServiceAccount(manager: "kubectl-client-side-apply").ToJsonString())));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken));

        Assert.True(error.IsConflict, error.Message);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal(1, Count(handler, "POST"));
    }

    [Fact]
    public async Task A_lost_create_answer_over_an_older_version_of_our_own_object_is_a_409_so_the_caller_applies_the_plan()
    {
        var older = ServiceAccount();
        older.Metadata()["labels"] = new JsonObject { ["team"] = "blue" };
        var (cluster, _, _, _) = Create((request, _) => Task.FromResult(request.Method == HttpMethod.Post
            ? ScriptedHandler.Status(HttpStatusCode.GatewayTimeout, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request")
            : ScriptedHandler.Json(HttpStatusCode.OK, older.ToJsonString())));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.CreateAsync(Planned(), new WriteOptions(), TestContext.Current.CancellationToken));

        Assert.True(error.IsConflict, error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"p","uid":"u-sa","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["x"]}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"p","uid":"u-new"}}""")]
    public async Task A_delete_whose_answer_was_lost_is_done_when_the_object_is_gone_terminating_or_replaced(string? afterwards)
    {
        var (cluster, _, handler, _) = Create((request, _) =>
        {
            if (request.Method == HttpMethod.Delete)
            {
                throw new HttpRequestException("connection reset by peer");
            }

            return Task.FromResult(afterwards is null
                ? ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "not found")
                : ScriptedHandler.Json(HttpStatusCode.OK, afterwards));
        });

        var deleted = await cluster.DeleteAsync(Kinds.ServiceAccount, "p", "sa", new DeleteOptions(PreconditionUid: "u-sa"), TestContext.Current.CancellationToken);

        Assert.True(deleted);
        Assert.Equal(1, Count(handler, "DELETE"));
    }

    [Fact]
    public async Task A_delete_that_failed_with_the_object_intact_is_sent_again()
    {
        var deletes = 0;
        var (cluster, _, handler, _) = Create((request, _) => Task.FromResult(request.Method == HttpMethod.Delete
            ? Interlocked.Increment(ref deletes) == 1
                ? ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "try again")
                : ScriptedHandler.Json(HttpStatusCode.OK, """{"kind":"Status","status":"Success"}""")
            : ScriptedHandler.Json(HttpStatusCode.OK, """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"p","uid":"u-sa"}}""")));

        Assert.True(await cluster.DeleteAsync(Kinds.ServiceAccount, "p", "sa", new DeleteOptions(PreconditionUid: "u-sa"), TestContext.Current.CancellationToken));
        Assert.Equal(2, Count(handler, "DELETE"));
        Assert.Equal(1, Count(handler, "GET"));
    }

    [Fact]
    public async Task A_json_patch_whose_answer_was_lost_is_not_sent_again_but_a_merge_patch_is()
    {
        var (cluster, _, handler, _) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.InternalServerError, "InternalError", "boom")));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.PatchAsync(Kinds.ServiceAccount, "p", "sa", PatchKind.Json, """[{"op":"add","path":"/metadata/labels/x","value":"y"}]""", new WriteOptions(), TestContext.Current.CancellationToken));
        Assert.Contains("not sent again", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);

        await Assert.ThrowsAsync<ClusterException>(() => cluster.PatchAsync(Kinds.ServiceAccount, "p", "sa", PatchKind.Merge, """{"metadata":{"labels":{"x":"y"}}}""", new WriteOptions(), TestContext.Current.CancellationToken));
        Assert.Equal(1 + 4, handler.Count);
    }

    [Fact]
    public async Task Access_reviews_are_retried_on_server_errors_and_dropped_connections()
    {
        var (cluster, _, handler, _) = Create((_, n) => n switch
        {
            1 => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.InternalServerError, "InternalError", "boom")),
            2 => throw new HttpRequestException("connection reset"),
            _ => Task.FromResult(ScriptedHandler.Json(HttpStatusCode.Created, """{"kind":"SelfSubjectAccessReview","status":{"allowed":true}}""")),
        });

        Assert.True(await cluster.CanIAsync("create", Kinds.InferenceService, "p", TestContext.Current.CancellationToken));
        Assert.Equal(3, Count(handler, "POST"));
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_give_up_naming_the_request()
    {
        var (cluster, _, handler, waits) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.BadGateway, "BadGateway", "upstream down")));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken));
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("GET /apis/serving.kserve.io/v1beta1/namespaces/p/inferenceservices", error.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, handler.Count);
        Assert.Equal(3, waits.Count);
        Assert.True(waits[0] <= TimeSpan.FromMilliseconds(100) && waits[2] >= TimeSpan.FromMilliseconds(200), string.Join(", ", waits));
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task The_deadline_bounds_a_call_whatever_the_attempt_count()
    {
        var policy = new RetryPolicy(100, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)) { Deadline = TimeSpan.FromSeconds(2) };
        var (cluster, _, handler, waits) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "down")), policy);

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.GetAsync(Kinds.InferenceService, "p", "m", TestContext.Current.CancellationToken));

        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
        Assert.InRange(handler.Count, 5, 11); // waits of 200-400 ms within 2 s
        Assert.True(waits.Aggregate(TimeSpan.Zero, (a, b) => a + b) <= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_timed_out_read_is_retried()
    {
        var (cluster, _, handler, _) = Create(async (_, n) =>
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
        var (cluster, _, handler, _) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.Forbidden, "Forbidden",
            "inferenceservices.serving.kserve.io is forbidden: User \\\"dev\\\" cannot list resource \\\"inferenceservices\\\" in namespace \\\"p\\\"")));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.ListAsync(Kinds.InferenceService, "p", null, TestContext.Current.CancellationToken));
        Assert.True(error.IsForbidden);
        Assert.Contains("cannot list resource \"inferenceservices\" in namespace \"p\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task Lists_follow_continue_tokens_and_restore_kind_on_items()
    {
        var (cluster, _, handler, _) = Create((request, n) =>
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
        var (cluster, _, _, _) = Create((_, n) => Task.FromResult(n switch
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
        var (cluster, _, _, _) = Create((_, _) => Task.FromResult(ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource")));
        Assert.Empty(await cluster.ListAsync(Kinds.Route, "istio-system", null, TestContext.Current.CancellationToken));
        Assert.Null(await cluster.GetAsync(Kinds.Route, "istio-system", "x", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_retry_after_past_the_deadline_fails_at_once_instead_of_hanging()
    {
        var (cluster, _, handler, waits) = Create((_, _) => Task.FromResult(Busy(TimeSpan.FromHours(1))));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.GetAsync(Kinds.InferenceService, "p", "m", TestContext.Current.CancellationToken));
        Assert.Contains("asked to retry after 3600 s", error.Message, StringComparison.Ordinal);
        Assert.Empty(waits);
        Assert.Equal(1, handler.Count);
    }
}
