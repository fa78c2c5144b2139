using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Contract;

/// <summary>
/// API semantics our tools rely on, written against any cluster endpoint so the same tests can run on the
/// simulator and on a real K3s (drift tests). Subclasses supply the endpoint; each test gets a namespace of its own.
/// Only Serverless-annotated ISVCs are used here, so KServe behaviour (absent on K3s) does not interfere.
/// </summary>
public abstract class ClusterContractTests : IAsyncLifetime
{
    protected const string Group = "serving.kserve.io";
    protected const string Version = "v1beta1";
    protected const string Plural = "inferenceservices";

    private ClusterEndpoint? _endpoint;

    protected ClusterEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("endpoint not started");

    protected Kubernetes Client => Endpoint.Client;

    protected string Ns => Endpoint.Namespace;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts (or connects to) the cluster and returns an endpoint with a fresh, existing namespace.</summary>
    protected abstract Task<ClusterEndpoint> CreateEndpointAsync();

    /// <summary>Lets a subclass skip with a reason before anything starts (e.g. no Docker engine for K3s).</summary>
    protected virtual void SkipIfUnavailable()
    {
    }

    public async ValueTask InitializeAsync()
    {
        SkipIfUnavailable();
        _endpoint = await CreateEndpointAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Create_of_an_existing_object_is_409_AlreadyExists()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), Ns, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), Ns, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("AlreadyExists", status["reason"]!.GetValue<string>());
        Assert.Equal(409, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cas"), Ns, cancellationToken: Ct);
        var fresh = await Client.CoreV1.ReadNamespacedConfigMapAsync("cas", Ns, cancellationToken: Ct);
        fresh.Data = new Dictionary<string, string> { ["k"] = "v2" };
        var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "cas", Ns, cancellationToken: Ct);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        created.Data = new Dictionary<string, string> { ["k"] = "stale" };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cas", Ns, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", JsonNode.Parse(error.Response.Content)!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Finalizers_keep_a_deleted_object_until_they_are_removed()
    {
        var cm = ConfigMap("held");
        cm.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, Ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", Ns, cancellationToken: Ct);

        var deleting = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns, cancellationToken: Ct);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        var patch = new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "held", Ns, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task Pagination_returns_every_item_exactly_once()
    {
        for (var i = 0; i < 23; i++)
        {
            var cm = ConfigMap($"page-{i:D2}");
            cm.Metadata.Labels = new Dictionary<string, string> { ["set"] = "paged" };
            await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, Ns, cancellationToken: Ct);
        }

        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var query = $"api/v1/namespaces/{Ns}/configmaps?labelSelector=set%3Dpaged&limit=10" + (next is null ? string.Empty : "&continue=" + Uri.EscapeDataString(next));
            var (status, body) = await Endpoint.SendAsync(HttpMethod.Get, query);
            Assert.Equal(200, status);
            seen.AddRange(body!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            next = body["metadata"]?["continue"]?.GetValue<string>();
            next = string.IsNullOrEmpty(next) ? null : next;
            pages++;
        }
        while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(23, seen.Count);
        Assert.Equal(23, seen.Distinct().Count());
    }

    [Fact]
    public async Task Typed_list_uses_limit_and_continue()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s{i}" }, StringData = new Dictionary<string, string> { ["a"] = "b" } }, Ns, cancellationToken: Ct);
        }

        var first = await Client.CoreV1.ListNamespacedSecretAsync(Ns, limit: 2, cancellationToken: Ct);
        Assert.Equal(2, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.Metadata.ContinueProperty));
        var second = await Client.CoreV1.ListNamespacedSecretAsync(Ns, limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: Ct);
        Assert.Equal(2, second.Items.Count);
        Assert.Empty(first.Items.Select(s => s.Metadata.Name).Intersect(second.Items.Select(s => s.Metadata.Name)));
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", ("tier", "web"), ("team", "x")), Ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", ("tier", "db")), Ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", ("other", "1")), Ns, cancellationToken: Ct);

        async Task<string[]> Names(string? labels = null, string? fields = null) =>
            (await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, labelSelector: labels, fieldSelector: fields, cancellationToken: Ct)).Items
                .Select(c => c.Metadata.Name).Where(n => n is "a" or "b" or "c").Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["a"], await Names("tier=web"));
        Assert.Equal(["a"], await Names("tier==web"));
        Assert.Equal(["b", "c"], await Names("tier!=web"));
        Assert.Equal(["a", "b"], await Names("tier in (web,db)"));
        Assert.Equal(["b", "c"], await Names("tier notin (web)"));
        Assert.Equal(["a", "b"], await Names("tier"));
        Assert.Equal(["c"], await Names("!tier"));
        Assert.Equal(["a"], await Names("tier,team=x"));
        Assert.Equal(["b"], await Names(fields: "metadata.name=b"));
        Assert.Equal(["a", "c"], await Names(fields: "metadata.name!=b"));
    }

    [Fact]
    public async Task Watch_streams_added_modified_and_deleted_from_a_resourceVersion()
    {
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, cancellationToken: Ct);
        var rv = list.Metadata.ResourceVersion;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dwatched&timeoutSeconds=20");
        using var response = await Endpoint.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("watched"), Ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"changed\"}}", V1Patch.PatchType.MergePatch), "watched", Ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("watched", Ns, cancellationToken: Ct);

        var types = new List<string>();
        var versions = new List<long>();
        while (types.Count < 3)
        {
            var line = await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct);
            Assert.NotNull(line);
            var e = JsonNode.Parse(line)!;
            if (e["type"]!.GetValue<string>() == "BOOKMARK")
            {
                continue;
            }

            types.Add(e["type"]!.GetValue<string>());
            versions.Add(long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            if (types.Count == 2)
            {
                Assert.Equal("changed", e["object"]!["data"]!["k"]!.GetValue<string>());
            }
        }

        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], types);
        Assert.True(versions[0] < versions[1] && versions[1] < versions[2], "resourceVersions increase along the watch");
    }

    [Fact]
    public async Task DryRun_All_validates_but_does_not_persist()
    {
        var result = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dry"), Ns, dryRun: "All", cancellationToken: Ct);
        Assert.Equal("dry", result.Metadata.Name);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("dry", Ns, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("wet"), Ns, cancellationToken: Ct);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"dry\"}}", V1Patch.PatchType.MergePatch), "wet", Ns, dryRun: "All", cancellationToken: Ct);
        Assert.Equal("dry", patched.Data["k"]);
        Assert.Equal("v", (await Client.CoreV1.ReadNamespacedConfigMapAsync("wet", Ns, cancellationToken: Ct)).Data["k"]);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("wet", Ns, dryRun: "All", cancellationToken: Ct);
        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("wet", Ns, cancellationToken: Ct));
    }

    [Fact]
    public async Task Custom_objects_support_create_list_merge_and_json_patch()
    {
        await CreateIsvcAsync("isvc-a", ("team", "a"));
        await CreateIsvcAsync("isvc-b", ("team", "b"));

        var list = ToNode(await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, Ns, Plural, labelSelector: "team=a", cancellationToken: Ct));
        Assert.Equal(["isvc-a"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));

        var merge = new V1Patch("{\"metadata\":{\"labels\":{\"patched\":\"yes\"}}}", V1Patch.PatchType.MergePatch);
        var merged = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(merge, Group, Version, Ns, Plural, "isvc-a", cancellationToken: Ct));
        Assert.Equal("yes", merged["metadata"]!["labels"]!["patched"]!.GetValue<string>());
        Assert.Equal("a", merged["metadata"]!["labels"]!["team"]!.GetValue<string>());

        var json = new V1Patch("[{\"op\":\"replace\",\"path\":\"/spec/predictor/minReplicas\",\"value\":2},{\"op\":\"remove\",\"path\":\"/metadata/labels/patched\"}]", V1Patch.PatchType.JsonPatch);
        var patched = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(json, Group, Version, Ns, Plural, "isvc-a", cancellationToken: Ct));
        Assert.Equal(2, patched["spec"]!["predictor"]!["minReplicas"]!.GetValue<int>());
        Assert.Null(patched["metadata"]!["labels"]!["patched"]);
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Status_subresource_is_separate_from_the_main_resource()
    {
        // ModelMesh: the simulator's KServe reconciles Serverless ISVCs and would write status.url itself.
        var created = await CreateIsvcAsync("with-status", status: new JsonObject { ["url"] = "http://ignored" }, mode: "ModelMesh");
        Assert.Null(created["status"]?["url"]);

        var statusPatch = new V1Patch("{\"status\":{\"url\":\"http://set-through-status\"}}", V1Patch.PatchType.MergePatch);
        var afterStatus = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, Group, Version, Ns, Plural, "with-status", cancellationToken: Ct));
        Assert.Equal("http://set-through-status", afterStatus["status"]!["url"]!.GetValue<string>());
        Assert.Equal(1, afterStatus["metadata"]!["generation"]!.GetValue<long>());

        var mainPatch = new V1Patch("{\"status\":{\"url\":\"http://through-main\"},\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch);
        var afterMain = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(mainPatch, Group, Version, Ns, Plural, "with-status", cancellationToken: Ct));
        Assert.Equal("http://set-through-status", afterMain["status"]!["url"]!.GetValue<string>());
        Assert.Equal("y", afterMain["metadata"]!["labels"]!["x"]!.GetValue<string>());

        var (code, viaGet) = await Endpoint.SendAsync(HttpMethod.Get, $"apis/{Group}/{Version}/namespaces/{Ns}/{Plural}/with-status/status");
        Assert.Equal(200, code);
        Assert.Equal("http://set-through-status", viaGet!["status"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Server_side_apply_creates_then_is_idempotent()
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "applied", ["labels"] = new JsonObject { ["a"] = "1" } },
            ["data"] = new JsonObject { ["k"] = "v" },
        };
        var path = $"api/v1/namespaces/{Ns}/configmaps/applied?fieldManager=contract-test&force=true";
        var (first, created) = await Endpoint.SendAsync(HttpMethod.Patch, path, body, "application/apply-patch+yaml");
        Assert.Equal(201, first);
        var (second, again) = await Endpoint.SendAsync(HttpMethod.Patch, path, body, "application/apply-patch+yaml");
        Assert.Equal(200, second);
        Assert.Equal(created!["metadata"]!["resourceVersion"]!.GetValue<string>(), again!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Contains(again["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "contract-test" && m["operation"]!.GetValue<string>() == "Apply");

        // Dropping a field from the applied configuration removes it: this manager owned it.
        body["metadata"]!["labels"] = new JsonObject { ["b"] = "2" };
        var (_, third) = await Endpoint.SendAsync(HttpMethod.Patch, path, body, "application/apply-patch+yaml");
        Assert.Null(third!["metadata"]!["labels"]!["a"]);
        Assert.Equal("2", third["metadata"]!["labels"]!["b"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_an_owner_garbage_collects_its_dependents()
    {
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), Ns, cancellationToken: Ct);
        var dependent = ConfigMap("dependent");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, Ns, cancellationToken: Ct);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Ns, cancellationToken: Ct);
        await Eventually.TrueAsync(async () => !(await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=dependent", cancellationToken: Ct)).Items.Any(), TimeSpan.FromSeconds(30), "dependent to be collected");
    }

    [Fact]
    public async Task Errors_are_Status_objects()
    {
        var (code, body) = await Endpoint.SendAsync(HttpMethod.Get, $"apis/{Group}/{Version}/namespaces/{Ns}/{Plural}/missing");
        Assert.Equal(404, code);
        Assert.Equal("Status", body!["kind"]!.GetValue<string>());
        Assert.Equal("Failure", body["status"]!.GetValue<string>());
        Assert.Equal("NotFound", body["reason"]!.GetValue<string>());
        Assert.Equal("missing", body["details"]!["name"]!.GetValue<string>());
        Assert.Equal(Plural, body["details"]!["kind"]!.GetValue<string>());
    }

    protected static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels.Length == 0 ? null : labels.ToDictionary(l => l.Key, l => l.Value) },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    protected static JsonNode ToNode(object response) => response switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!,
        JsonNode node => node,
        _ => JsonNode.Parse(response.ToString()!)!,
    };

    protected async Task<JsonNode> CreateIsvcAsync(string name, (string Key, string Value)? label = null, JsonObject? status = null, string mode = "Serverless")
    {
        var isvc = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "InferenceService",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Ns,
                ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = mode },
                ["labels"] = label is { } l ? new JsonObject { [l.Key] = l.Value } : new JsonObject(),
            },
            ["spec"] = new JsonObject
            {
                ["predictor"] = new JsonObject
                {
                    ["minReplicas"] = 1,
                    ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "onnx" }, ["storageUri"] = "s3://bucket/model" },
                },
            },
        };
        if (status is not null)
        {
            isvc["status"] = status;
        }

        return ToNode(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(isvc, Group, Version, Ns, Plural, cancellationToken: Ct));
    }
}
