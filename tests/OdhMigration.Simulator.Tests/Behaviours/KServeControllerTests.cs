using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Behaviours;

public sealed class KServeControllerTests : SimulatorTest
{
    [Fact]
    public async Task Raw_isvc_with_an_auto_selected_runtime_becomes_Ready_after_the_delay()
    {
        var created = await CreateAsync(Isvc("raw", "RawDeployment", format: "openvino_ir"));
        Assert.Null(created["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True"));

        var ready = await WaitReadyAsync("raw");
        Assert.Equal("RawDeployment", ready["status"]!["deploymentMode"]!.GetValue<string>());
        Assert.Equal("http://raw-predictor.proj.svc.cluster.local", ready["status"]!["url"]!.GetValue<string>());
        Assert.Equal("http://raw-predictor.proj.svc.cluster.local", ready["status"]!["address"]!["url"]!.GetValue<string>());
        Assert.Contains(ready["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "PredictorReady" && c["status"]!.GetValue<string>() == "True");
    }

    [Fact]
    public async Task Exposed_raw_isvc_gets_an_external_url()
    {
        var isvc = Isvc("public", "Standard", format: "onnx", runtime: "kserve-ovms");
        isvc["metadata"]!["labels"] = new JsonObject { ["networking.kserve.io/visibility"] = "exposed" };
        await CreateAsync(isvc);
        var ready = await WaitReadyAsync("public");
        Assert.Equal("https://public-proj.apps.sim.local", ready["status"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_runtime_is_reported_until_the_runtime_appears()
    {
        await CreateAsync(Isvc("orphan", "RawDeployment", format: "onnx", runtime: "not-there"));
        var failing = await Eventually.WaitAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "orphan"), "Ready") is { } c && c["reason"] is not null ? c : null), what: "Ready=False");
        Assert.Equal("False", failing["status"]!.GetValue<string>());
        Assert.Equal("RuntimeNotRecognized", failing["reason"]!.GetValue<string>());
        Assert.Equal("Waiting for runtime to become available", failing["message"]!.GetValue<string>());
        var orphan = Sim.Store.Get(Kinds.InferenceService, "proj", "orphan");
        Assert.Equal("RuntimeNotRecognized", orphan.At("status", "modelStatus", "lastFailureInfo", "reason")!.GetValue<string>());
        Assert.Null(orphan.At("status", "url")); // KServe reports no URL for a predictor it could not build

        await CreateRuntimeAsync("not-there", new JsonObject { ["name"] = "onnx" });
        await WaitReadyAsync("orphan");
    }

    [Fact]
    public async Task A_new_runtime_reaches_the_isvcs_that_name_it_or_pick_by_format_and_leaves_the_others_as_they_were()
    {
        // An auto-selected ISVC with no supporting runtime yet, an old-style predictor naming a missing runtime, and one
        // naming another missing runtime: the new runtime must reach the first two (the controller indexes which
        // runtime each ISVC names) and leave the third as it was.
        await CreateAsync(Isvc("by-format", "RawDeployment", format: "sklearn"));
        var framework = Isvc("old-style", "RawDeployment", format: "unused");
        framework["spec"]!["predictor"] = new JsonObject { ["sklearn"] = new JsonObject { ["storageUri"] = "s3://b/m", ["runtime"] = "sklearn-rt" } };
        await CreateAsync(framework);
        await CreateAsync(Isvc("elsewhere", "RawDeployment", format: "sklearn", runtime: "other-rt"));
        foreach (var name in new[] { "by-format", "old-style", "elsewhere" })
        {
            await Eventually.WaitAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", name), "Ready")?["reason"]), what: $"{name} Ready=False with a reason");
        }

        await Sim.WaitForIdleAsync(Ct);
        var elsewhereVersion = Sim.Store.Get(Kinds.InferenceService, "proj", "elsewhere").At("metadata", "resourceVersion")!.GetValue<string>();

        await CreateRuntimeAsync("sklearn-rt", new JsonObject { ["name"] = "sklearn", ["autoSelect"] = true });
        await WaitReadyAsync("by-format");
        await WaitReadyAsync("old-style");
        await Sim.WaitForIdleAsync(Ct);
        var elsewhere = Sim.Store.Get(Kinds.InferenceService, "proj", "elsewhere");
        Assert.Equal("RuntimeNotRecognized", Condition(elsewhere, "Ready")!.Str("reason"));
        Assert.Equal(elsewhereVersion, elsewhere.At("metadata", "resourceVersion")!.GetValue<string>());
    }

    [Fact]
    public async Task Once_Ready_an_isvc_never_reports_not_Ready_again_for_the_same_generation()
    {
        // The controller reconciles from its event loop and from delayed requeues at once; a reconcile that decided
        // "not yet" before the delay ran out must not commit after one that decided "Ready" (cleanup would then see a
        // validated replacement as no longer Ready).
        using var watch = Sim.Store.Watch(Kinds.InferenceService, ListRequest.All("proj"), Sim.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var names = Enumerable.Range(0, 150).Select(i => $"burst-{i:D3}").ToList();
        foreach (var name in names)
        {
            Sim.Store.Create(Kinds.InferenceService, "proj", Isvc(name, "RawDeployment", format: "onnx", runtime: "kserve-ovms"), new Store.WriteContext(FieldManager: "test"));
        }

        foreach (var name in names)
        {
            await WaitReadyAsync(name);
        }

        await Sim.WaitForIdleAsync(Ct);
        var readySeen = new HashSet<string>(StringComparer.Ordinal);
        var regressions = new List<string>();
        while (watch.Events.TryRead(out var e))
        {
            var ready = Condition(e.Object, "Ready")?.Str("status");
            if (ready == "True")
            {
                readySeen.Add(e.Name);
            }
            else if (readySeen.Contains(e.Name))
            {
                regressions.Add($"{e.Name} at resourceVersion {e.ResourceVersion}: Ready {ready ?? "(none)"}");
            }
        }

        Assert.Equal(names.Count, readySeen.Count);
        Assert.Empty(regressions);
    }

    [Fact]
    public async Task No_supporting_runtime_for_the_model_format()
    {
        await CreateAsync(Isvc("unknown-format", "RawDeployment", format: "pmml"));
        var failing = await Eventually.WaitAsync(() => Task.FromResult(Condition(Sim.Store.TryGet(Kinds.InferenceService, "proj", "unknown-format"), "Ready") is { } c && c["reason"] is not null ? c : null), what: "Ready=False");
        Assert.Equal("NoSupportingRuntime", failing["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelMesh_isvcs_are_left_alone()
    {
        // Serverless ISVCs are reconciled as KServe does (ServerlessReadinessTests); ModelMesh ones belong to the
        // modelmesh controller (ModelMeshReadinessTests), which acts only in namespaces labelled modelmesh-enabled:
        // "true", and proj is not.
        await CreateAsync(Isvc("mesh", "ModelMesh", format: "openvino_ir", runtime: "ovms"));
        await Sim.WaitForIdleAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.Null(Sim.Store.Get(Kinds.InferenceService, "proj", "mesh")["status"]);
    }

    [Fact]
    public async Task Webhook_refuses_deployment_mode_changes_but_allows_other_patches()
    {
        await CreateAsync(Isvc("locked", "RawDeployment", format: "openvino_ir"));
        await WaitReadyAsync("locked");
        var change = new V1Patch("{\"metadata\":{\"annotations\":{\"serving.kserve.io/deploymentMode\":\"Serverless\"}}}", V1Patch.PatchType.MergePatch);
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(change, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", "locked", cancellationToken: Ct));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Response.StatusCode); // webhook denials are 403 (controller-runtime admission.Denied)
        Assert.Contains("deploymentMode cannot be changed", JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var label = new V1Patch("{\"metadata\":{\"labels\":{\"ok\":\"yes\"}}}", V1Patch.PatchType.MergePatch);
        await Endpoint.Client.CustomObjects.PatchNamespacedCustomObjectAsync(label, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", "locked", cancellationToken: Ct);
    }

    [Fact]
    public async Task Without_annotation_the_configured_default_mode_decides()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { KServe = new KServeControllerOptions { DefaultDeploymentMode = "RawDeployment", ReadyDelay = TimeSpan.Zero } }, TestSnapshot.Parse(TestSnapshot.Basic), cancellationToken: Ct);
        var isvc = Isvc("implicit", null, format: "openvino_ir");
        sim.Store.Create(Kinds.InferenceService, "proj", isvc, new Store.WriteContext(FieldManager: "test"));
        await Eventually.TrueAsync(() => Task.FromResult(Condition(sim.Store.TryGet(Kinds.InferenceService, "proj", "implicit"), "Ready")?["status"]?.GetValue<string>() == "True"), what: "implicit Raw ISVC Ready");
    }

    private static JsonObject? Condition(JsonObject? isvc, string type) =>
        (isvc?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    private async Task<JsonObject> WaitReadyAsync(string name) =>
        await Eventually.WaitAsync(() =>
        {
            var isvc = Sim.Store.TryGet(Kinds.InferenceService, "proj", name);
            return Task.FromResult(Condition(isvc, "Ready")?.Str("status") == "True" ? isvc : null);
        }, what: $"{name} Ready");

    private async Task CreateRuntimeAsync(string name, JsonObject supportedFormat)
    {
        var runtime = new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1alpha1",
            ["kind"] = "ServingRuntime",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "x" }),
                ["supportedModelFormats"] = new JsonArray(supportedFormat),
            },
        };
        await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(runtime, "serving.kserve.io", "v1alpha1", "proj", "servingruntimes", cancellationToken: Ct);
    }

    private async Task<JsonNode> CreateAsync(JsonObject isvc) =>
        ToNode(await Endpoint.Client.CustomObjects.CreateNamespacedCustomObjectAsync(isvc, "serving.kserve.io", "v1beta1", "proj", "inferenceservices", cancellationToken: Ct));

    private static JsonObject Isvc(string name, string? mode, string format, string? runtime = null)
    {
        var model = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = format }, ["storageUri"] = "s3://b/m" };
        if (runtime is not null)
        {
            model["runtime"] = runtime;
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "proj" };
        if (mode is not null)
        {
            metadata["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = mode };
        }

        return new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1beta1",
            ["kind"] = "InferenceService",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = model } },
        };
    }
}
