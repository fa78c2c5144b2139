using System.Net;
using System.Text.Json.Nodes;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

public sealed class FaultInjectionTests : SimulatorTest
{
    [Fact]
    public async Task Same_seed_gives_the_same_fault_sequence()
    {
        var settings = new JsonObject { ["rate"] = 0.5, ["kinds"] = new JsonArray("429", "500", "503"), ["seed"] = 42 };
        await AdminAsync("simulator/faults", settings);
        var first = await StatusesAsync(30);
        await AdminAsync("simulator/faults", settings);
        var second = await StatusesAsync(30);
        Assert.Equal(first, second);
        Assert.Contains(200, first);
        Assert.Contains(first, s => s is 429 or 500 or 503);

        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0.5, ["seed"] = 7 });
        Assert.NotEqual(first, await StatusesAsync(30));
    }

    [Fact]
    public async Task Too_many_requests_carries_Retry_After_and_a_Status_body()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("429"), ["retryAfterSeconds"] = 3 });
        using var response = await Endpoint.Http.GetAsync("api/v1/namespaces/proj/configmaps", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("TooManyRequests", body["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_target_chosen_verbs_and_resources_and_never_the_admin_endpoint()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("503"), ["verbs"] = new JsonArray("create"), ["resources"] = new JsonArray("configmaps") });
        var (get, _) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces/proj/configmaps");
        Assert.Equal(200, get);
        var (create, _) = await Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        Assert.Equal(503, create);
        var (secret, _) = await Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/secrets", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        Assert.Equal(201, secret);

        var log = await AdminAsync("simulator/requests");
        Assert.Equal(1, log["counters"]!["create configmaps"]!.GetValue<long>());
        Assert.Contains(log["requests"]!.AsArray(), r => r!["fault"]?.GetValue<string>() == "ServiceUnavailable");
    }

    [Fact]
    public async Task Dropped_connections_fail_at_the_transport_level()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("drop") });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Endpoint.Http.GetAsync("api/v1/namespaces", Ct));
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0 });
        var (status, _) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Processed_then_dropped_carries_out_a_create_and_loses_the_answer()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("processed-then-dropped"), ["verbs"] = new JsonArray("create") });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "lost-answer" }, ["data"] = new JsonObject { ["k"] = "v" } }));
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0 });

        var (status, body) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces/proj/configmaps/lost-answer");
        Assert.Equal(200, status);
        Assert.Equal("v", body!["data"]!["k"]!.GetValue<string>());
        var log = await AdminAsync("simulator/requests");
        var dropped = Assert.Single(log["requests"]!.AsArray(), r => r!["fault"]?.GetValue<string>() == "ProcessedThenDropped");
        Assert.Equal(201, dropped!["status"]!.GetValue<int>()); // what the lost answer would have said
    }

    [Fact]
    public async Task Processed_then_dropped_carries_out_a_delete_and_loses_the_answer()
    {
        var (created, _) = await Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        Assert.Equal(201, created);
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("processed-then-dropped"), ["verbs"] = new JsonArray("delete") });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Endpoint.SendAsync(HttpMethod.Delete, "api/v1/namespaces/proj/configmaps/doomed"));
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0 });

        var (status, _) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces/proj/configmaps/doomed");
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Processed_then_dropped_carries_out_a_server_side_apply_and_loses_the_answer()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 1, ["kinds"] = new JsonArray("processed-then-dropped"), ["verbs"] = new JsonArray("patch") });
        var applied = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "applied" }, ["data"] = new JsonObject { ["k"] = "v1" } };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Endpoint.SendAsync(HttpMethod.Patch, "api/v1/namespaces/proj/configmaps/applied?fieldManager=test", applied, "application/apply-patch+yaml"));
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0 });

        var (status, body) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces/proj/configmaps/applied");
        Assert.Equal(200, status);
        Assert.Equal("v1", body!["data"]!["k"]!.GetValue<string>());
        Assert.Contains(body["metadata"]!["managedFields"]!.AsArray(), f => f!["manager"]!.GetValue<string>() == "test");
    }

    [Fact]
    public async Task Processed_then_dropped_is_drawn_only_when_named()
    {
        var defaults = await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0.5, ["kinds"] = null });
        Assert.DoesNotContain(defaults["kinds"]!.AsArray(), k => k!.GetValue<string>() == "processed-then-dropped");
        var (status, body) = await Endpoint.SendAsync(HttpMethod.Post, "simulator/faults", new JsonObject { ["kinds"] = new JsonArray("lost") });
        Assert.Equal(400, status);
        Assert.Contains("processed-then-dropped", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0 });
    }

    [Fact]
    public async Task Rate_zero_is_clean_and_counters_reset()
    {
        await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0, ["latencyMs"] = 1 });
        Assert.All(await StatusesAsync(20), s => Assert.Equal(200, s));
        var log = await AdminAsync("simulator/requests");
        Assert.Equal(20, log["counters"]!["list configmaps"]!.GetValue<long>());
        await AdminAsync("simulator/reset-counters", new JsonObject());
        Assert.Equal(0, (await AdminAsync("simulator/requests"))["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Injected_latency_is_what_was_asked_for()
    {
        // Task.Delay rounds up to the runtime's timer tick (a requested 5 ms takes 8 on a 4 ms-tick kernel); a
        // latency benchmark would then measure the simulator. A busy machine can only make a round slower, never
        // faster, so the best of a few rounds is compared: rounding up would fail every one of them.
        var rounds = new List<double>();
        for (var round = 0; round < 8; round++)
        {
            // Setting the faults again starts the delivered-latency average over.
            await AdminAsync("simulator/faults", new JsonObject { ["rate"] = 0, ["latencyMs"] = 5 });
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var (status, _) = await Endpoint.SendAsync(HttpMethod.Get, "api/v1/namespaces/proj/configmaps");
                    Assert.Equal(200, status);
                }
            }));
            rounds.Add(Sim.Faults.MeanInjectedLatency.TotalMilliseconds);
            if (rounds[^1] < 6.5)
            {
                break;
            }
        }

        Assert.All(rounds, mean => Assert.True(mean >= 4.5, $"a round averaged {mean:0.00} ms, earlier than the 5 ms asked for"));
        Assert.True(rounds.Min() < 6.5, $"best round averaged {rounds.Min():0.00} ms for 5 ms asked (rounds: {string.Join(", ", rounds.Select(r => r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})");
    }

    [Fact]
    public async Task Invalid_fault_settings_are_rejected()
    {
        var (status, body) = await Endpoint.SendAsync(HttpMethod.Post, "simulator/faults", new JsonObject { ["rate"] = 2 });
        Assert.Equal(400, status);
        Assert.Contains("rate", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<List<int>> StatusesAsync(int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await Endpoint.Http.GetAsync("api/v1/namespaces/proj/configmaps", Ct);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
