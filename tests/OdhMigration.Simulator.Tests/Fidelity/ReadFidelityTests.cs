using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Reads as kube-apiserver answers them, through kubectl and the official Python client. Upstream: kubernetes/kubernetes
/// staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go (GetList: pages at the first page's revision, "invalid
/// continue token"), staging/src/k8s.io/apiserver/pkg/storage/etcd3/errors.go (inconsistent continue, 410 Expired),
/// staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Parser, NewRequirement), staging/src/k8s.io/apimachinery/
/// pkg/runtime/conversion.go (Convert_Slice_string_To_bool).
/// </summary>
public sealed class ReadFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Inconsistent = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    [Fact]
    public async Task Later_pages_come_from_the_first_pages_snapshot()
    {
        const string ns = "pages";
        await CreateNamespaceAsync(ns);
        foreach (var name in new[] { "page-1", "page-2", "page-3", "page-4", "page-5" })
        {
            Assert.Equal(201, (await sim.PythonAsync("POST", $"/api/v1/namespaces/{ns}/configmaps", ConfigMap(name), "application/json")).Status);
        }

        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var first = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["limit"] = "2" });
        Assert.Equal(200, first.Status);
        var listRv = first.Body!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var names = Names(first.Body);
        Assert.Equal(["page-1", "page-2"], names);

        // Written after the first page: none of this may show in later pages.
        Assert.Equal(201, (await sim.PythonAsync("POST", path, ConfigMap("page-6"), "application/json")).Status);
        Assert.Equal(200, (await sim.PythonAsync("DELETE", path + "/page-4")).Status);
        Assert.Equal(200, (await sim.PythonAsync("PATCH", path + "/page-3", JsonNode.Parse("""{"data":{"k":"changed"}}"""), "application/merge-patch+json")).Status);

        var token = first.Body["metadata"]!["continue"]!.GetValue<string>();
        var seen = new List<JsonNode>();
        while (token is not null)
        {
            var page = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["limit"] = "2", ["continue"] = token });
            Assert.Equal(200, page.Status);
            Assert.Equal(listRv, page.Body!["metadata"]!["resourceVersion"]!.GetValue<string>());
            names.AddRange(Names(page.Body));
            seen.AddRange(page.Body["items"]!.AsArray().Select(i => i!));
            token = page.Body["metadata"]!["continue"]?.GetValue<string>();
        }

        Assert.Equal(["page-1", "page-2", "page-3", "page-4", "page-5"], names);
        Assert.Equal("v", seen.Single(i => i["metadata"]!["name"]!.GetValue<string>() == "page-3")["data"]!["k"]!.GetValue<string>());

        // A new chunked list sees the current state.
        var kubectl = await sim.KubectlAsync(null, "get", "configmaps", "-n", ns, "--chunk-size=2", "-o", "name");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Equal("configmap/page-1 configmap/page-2 configmap/page-3 configmap/page-5 configmap/page-6", string.Join(' ', kubectl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task An_expired_continue_token_is_410_Expired_with_an_inconsistent_token_and_a_malformed_one_is_400()
    {
        const string ns = "expiry";
        await CreateNamespaceAsync(ns);
        foreach (var name in new[] { "e-1", "e-2", "e-3" })
        {
            Assert.Equal(201, (await sim.PythonAsync("POST", $"/api/v1/namespaces/{ns}/configmaps", ConfigMap(name), "application/json")).Status);
        }

        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var first = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["limit"] = "1" });
        var token = first.Body!["metadata"]!["continue"]!.GetValue<string>();

        // Bounded in memory: more paged lists than the store keeps snapshots for push the first one out.
        sim.Host.Store.LimitListSnapshots(capacity: 2, lifetime: TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(201, (await sim.PythonAsync("POST", path, ConfigMap($"filler-{i}"), "application/json")).Status);
            Assert.NotNull(sim.Host.Store.List(Kinds.ConfigMap, ListRequest.All(ns) with { Limit = 1 }).Continue);
        }

        var expired = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["limit"] = "1", ["continue"] = token });
        Assert.Equal(410, expired.Status);
        Assert.Equal("Expired", expired.Reason);
        Assert.Equal(Inconsistent, expired.Message);
        var inconsistent = expired.Body!["metadata"]!["continue"]!.GetValue<string>();

        // The token in the 410 continues after e-1 from the current state (so the fillers written since show up).
        var rest = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["continue"] = inconsistent });
        Assert.Equal(200, rest.Status);
        Assert.Equal(["e-2", "e-3", "filler-0", "filler-1", "filler-2"], Names(rest.Body!));

        // Bounded in time as well.
        sim.Host.Store.LimitListSnapshots(capacity: 64, lifetime: TimeSpan.Zero);
        var young = sim.Host.Store.List(Kinds.ConfigMap, ListRequest.All(ns) with { Limit = 1 });
        await Task.Delay(20, TestContext.Current.CancellationToken);
        var tooOld = Assert.Throws<ApiException>(() => sim.Host.Store.List(Kinds.ConfigMap, ListRequest.All(ns) with { Limit = 1, Continue = young.Continue }));
        Assert.Equal(410, tooOld.Code);
        sim.Host.Store.LimitListSnapshots(capacity: 64, lifetime: TimeSpan.FromMinutes(5));

        var malformed = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["limit"] = "1", ["continue"] = "not-a-token!" });
        Assert.Equal(400, malformed.Status);
        Assert.Equal("BadRequest", malformed.Reason);
        Assert.StartsWith("invalid continue token: continue key is not valid: ", malformed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("app=a b", "found 'b', expected: ',' or 'end of string'")]
    [InlineData("app=-x", "unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")]
    [InlineData("app,", "found '', expected: identifier after ','")]
    [InlineData("=x", "found '=', expected: !, identifier, or 'end of string'")]
    public async Task A_malformed_label_selector_is_400_BadRequest(string selector, string message)
    {
        var python = await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps", query: new Dictionary<string, string> { ["labelSelector"] = selector });
        Assert.Equal(400, python.Status);
        Assert.Equal("BadRequest", python.Reason);
        Assert.Equal(message, python.Message);

        var kubectl = await sim.KubectlAsync(null, "get", "configmaps", "-n", "proj", "-l", selector);
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(message, kubectl.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    public async Task Boolean_query_parameters_parse_as_the_API_server_parses_them(string value, bool watch)
    {
        var ns = "flags-x" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(value)).ToLowerInvariant();
        await CreateNamespaceAsync(ns);
        Assert.Equal(201, (await sim.PythonAsync("POST", $"/api/v1/namespaces/{ns}/configmaps", ConfigMap("only"), "application/json")).Status);

        var response = await sim.PythonAsync("GET", $"/api/v1/namespaces/{ns}/configmaps", query: new Dictionary<string, string> { ["watch"] = value, ["timeoutSeconds"] = "1" });
        Assert.Equal(200, response.Status);
        if (watch)
        {
            Assert.Equal("ADDED", response.Body!["type"]!.GetValue<string>());
            Assert.Equal("only", response.Body["object"]!["metadata"]!["name"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal("ConfigMapList", response.Body!["kind"]!.GetValue<string>());
        }
    }

    /// <summary>staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go convertToWatchEvent.</summary>
    [Fact]
    public async Task A_selector_watch_gets_DELETED_with_the_last_matching_state_when_an_object_leaves_and_ADDED_when_it_enters()
    {
        const string ns = "selwatch";
        await CreateNamespaceAsync(ns);
        var cm = ConfigMap("moving");
        cm["metadata"]!["labels"] = new JsonObject { ["tier"] = "a" };
        var created = await sim.PythonAsync("POST", $"/api/v1/namespaces/{ns}/configmaps", cm, "application/json");
        var createdRv = created.Body!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var moved = await sim.PythonAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/moving", JsonNode.Parse("""{"metadata":{"labels":{"tier":"b"}},"data":{"k":"after"}}"""), "application/merge-patch+json");
        var movedRv = moved.Body!["metadata"]!["resourceVersion"]!.GetValue<string>();

        var left = await sim.PythonAsync("GET", $"/api/v1/namespaces/{ns}/configmaps", query: new Dictionary<string, string> { ["watch"] = "true", ["labelSelector"] = "tier=a", ["resourceVersion"] = createdRv, ["timeoutSeconds"] = "1" });
        Assert.Equal("DELETED", left.Body!["type"]!.GetValue<string>());
        Assert.Equal("a", left.Body["object"]!["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("v", left.Body["object"]!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(movedRv, left.Body["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        var raw = await sim.KubectlAsync(null, "get", "--raw", $"/api/v1/namespaces/{ns}/configmaps?watch=1&labelSelector=tier%3Db&resourceVersion={createdRv}&timeoutSeconds=1");
        Assert.True(raw.ExitCode == 0, raw.StandardError);
        var entered = JsonNode.Parse(raw.StandardOutput.Trim())!;
        Assert.Equal("ADDED", entered["type"]!.GetValue<string>());
        Assert.Equal("after", entered["object"]!["data"]!["k"]!.GetValue<string>());
    }

    private async Task CreateNamespaceAsync(string name)
    {
        var created = await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, "application/json");
        Assert.True(created.Status is 201 or 409, $"namespace {name}: {created.Status}");
    }

    private static List<string> Names(JsonNode list) => [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];

    private static JsonObject ConfigMap(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = "v" },
    };
}
