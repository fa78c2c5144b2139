using System.Text.Json.Nodes;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

public sealed class WatchTests : SimulatorTest
{
    protected override SimulatorOptions Options => base.Options with { WatchHistory = 5, BookmarkInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_the_current_objects()
    {
        var events = await ReadEventsAsync("apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices?watch=true&timeoutSeconds=1", 10);
        Assert.Equal(["ADDED", "ADDED"], events.Select(e => e["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_reports_410_Expired()
    {
        for (var i = 0; i < 8; i++)
        {
            await Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"c{i}" } });
        }

        var events = await ReadEventsAsync("api/v1/namespaces/proj/configmaps?watch=true&resourceVersion=1", 1);
        Assert.Equal("ERROR", events[0]["type"]!.GetValue<string>());
        Assert.Equal(410, events[0]["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", events[0]["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bookmarks_are_sent_when_allowed_and_timeoutSeconds_ends_the_stream()
    {
        var started = DateTime.UtcNow;
        var events = await ReadEventsAsync($"api/v1/namespaces/proj/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion={Sim.Store.ResourceVersion}", 100);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.Contains(events, e => e["type"]!.GetValue<string>() == "BOOKMARK" && e["object"]!["metadata"]!["resourceVersion"] is not null);
    }

    [Fact]
    public async Task Label_selector_watch_sees_objects_enter_and_leave_the_selection()
    {
        var rv = Sim.Store.ResourceVersion;
        await Endpoint.SendAsync(HttpMethod.Post, "api/v1/namespaces/proj/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "moving" } });
        await Endpoint.SendAsync(HttpMethod.Patch, "api/v1/namespaces/proj/configmaps/moving", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["sel"] = "yes" } } }, "application/merge-patch+json");
        await Endpoint.SendAsync(HttpMethod.Patch, "api/v1/namespaces/proj/configmaps/moving", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["sel"] = "no" } } }, "application/strategic-merge-patch+json");
        var events = await ReadEventsAsync($"api/v1/namespaces/proj/configmaps?watch=true&labelSelector=sel%3Dyes&resourceVersion={rv}&timeoutSeconds=1", 2);
        Assert.Equal(["ADDED", "DELETED"], events.Select(e => e["type"]!.GetValue<string>()));
    }

    private async Task<List<JsonNode>> ReadEventsAsync(string path, int max)
    {
        using var response = await Endpoint.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<JsonNode>();
        while (events.Count < max && await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct) is { } line)
        {
            events.Add(JsonNode.Parse(line)!);
        }

        return events;
    }
}
