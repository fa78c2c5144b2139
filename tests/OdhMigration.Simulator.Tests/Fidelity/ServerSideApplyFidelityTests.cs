using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Server-side apply and managedFields as kube-apiserver does them, through kubectl (<c>apply --server-side</c>,
/// <c>--field-manager</c>, <c>--force-conflicts</c>) and the official Python client. Upstream:
/// kubernetes-sigs/structured-merge-diff merge/update.go (Updater.Apply, Updater.Update, prune), typed/tofieldset.go,
/// typed/compare.go, typed/merge.go, fieldpath/serialize.go (FieldsV1); kubernetes/kubernetes
/// staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal conflict.go (NewConflictError, printManager),
/// stripmeta.go, managedfieldsupdater.go, fieldmanager.go (entry order).
/// </summary>
public sealed class ServerSideApplyFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string ConfigMaps = "/api/v1/namespaces/proj/configmaps";
    private const string Isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    /// <summary>merge/update.go Apply: the applier's set is the applied configuration's field set (typed/tofieldset.go), type and server metadata stripped (stripmeta.go).</summary>
    [Fact]
    public async Task Apply_records_an_Apply_entry_owning_exactly_the_fields_the_manager_set()
    {
        var kubectl = await sim.KubectlAsync(Cm("owned", ("a", "1")).ToJsonString(), "apply", "--server-side", "--field-manager=alpha", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);

        var entry = Assert.Single(Entries("owned"));
        Assert.Equal("alpha", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.Equal("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    /// <summary>typed/tofieldset.go on an associative list: items as k:{keys} members (with ".") and their fields; key defaults from the schema (protocol TCP).</summary>
    [Fact]
    public async Task Associative_list_items_are_owned_by_their_keys_from_x_kubernetes_list_map_keys()
    {
        var isvc = Isvc("keyed");
        isvc["spec"]!["predictor"]!["model"]!["env"] = new JsonArray(new JsonObject { ["name"] = "A", ["value"] = "1" });
        isvc["spec"]!["predictor"]!["model"]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 });
        var python = await ApplyAsync(Isvcs + "/keyed", isvc, "alpha");
        Assert.Equal(201, python.Status);
        var model = python.Body!["metadata"]!["managedFields"]![0]!["fieldsV1"]!["f:spec"]!["f:predictor"]!["f:model"]!;
        Assert.Equal("""{".":{},"f:name":{},"f:value":{}}""", model["f:env"]!["k:{\"name\":\"A\"}"]!.ToJsonString());
        Assert.Equal("""{".":{},"f:containerPort":{}}""", model["f:ports"]!["k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"]!.ToJsonString());

        // A second manager adds its own item to the same list: merged by key, not a conflict, each owns its item.
        var other = Isvc("keyed");
        other["spec"]!["predictor"]!["model"]!["env"] = new JsonArray(new JsonObject { ["name"] = "B", ["value"] = "2" });
        var second = await sim.KubectlAsync(other.ToJsonString(), "apply", "--server-side", "--field-manager=beta", "-f", "-");
        Assert.True(second.ExitCode == 0, second.StandardError);
        var env = sim.Host.Store.Get(Kinds.InferenceService, "proj", "keyed").At("spec", "predictor", "model", "env")!.AsArray();
        Assert.Equal(["A", "B"], env.Select(e => e!["name"]!.GetValue<string>()));
    }

    /// <summary>Lists without x-kubernetes-list-type are atomic in a CRD: one manager owns the whole list, so another's different list conflicts.</summary>
    [Fact]
    public async Task An_atomic_list_is_owned_whole_and_another_managers_list_conflicts()
    {
        var isvc = Isvc("atomic");
        isvc["spec"]!["predictor"]!["tolerations"] = new JsonArray(new JsonObject { ["key"] = "a", ["operator"] = "Exists" });
        Assert.Equal(201, (await ApplyAsync(Isvcs + "/atomic", isvc, "alpha")).Status);
        isvc["spec"]!["predictor"]!["tolerations"] = new JsonArray(new JsonObject { ["key"] = "b", ["operator"] = "Exists" });
        var python = await ApplyAsync(Isvcs + "/atomic", isvc, "beta");
        Assert.Equal(409, python.Status);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alpha\": .spec.predictor.tolerations", python.Message);
    }

    /// <summary>merge/update.go update + conflict.go NewConflictError: a changed value another manager owns is 409 Conflict with one FieldManagerConflict cause per field.</summary>
    [Fact]
    public async Task Applying_a_different_value_for_a_field_another_manager_owns_is_409_Conflict_with_FieldManagerConflict_causes()
    {
        Assert.Equal(201, (await ApplyAsync(ConfigMaps + "/contested", Cm("contested", ("a", "1"), ("b", "1")), "alpha")).Status);

        var one = await ApplyAsync(ConfigMaps + "/contested", Cm("contested", ("a", "2")), "beta");
        Assert.Equal(409, one.Status);
        Assert.Equal("Conflict", one.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alpha\": .data.a", one.Message);
        var cause = Assert.Single(one.Body!["details"]!["causes"]!.AsArray());
        Assert.Equal("FieldManagerConflict", cause!["reason"]!.GetValue<string>());
        Assert.Equal("conflict with \"alpha\"", cause["message"]!.GetValue<string>());
        Assert.Equal(".data.a", cause["field"]!.GetValue<string>());

        var two = await ApplyAsync(ConfigMaps + "/contested", Cm("contested", ("a", "2"), ("b", "2")), "beta");
        Assert.Equal(409, two.Status);
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"alpha\":\n- .data.a\n- .data.b", two.Message);
        Assert.Equal(2, two.Body!["details"]!["causes"]!.AsArray().Count);

        var kubectl = await sim.KubectlAsync(Cm("contested", ("a", "2")).ToJsonString(), "apply", "--server-side", "--field-manager=beta", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"alpha\": .data.a", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Equal("1", sim.Host.Store.Get(Kinds.ConfigMap, "proj", "contested")["data"]!["a"]!.GetValue<string>());
    }

    /// <summary>merge/update.go update with force: the conflicting fields leave their owners' sets and go to the applier.</summary>
    [Fact]
    public async Task Force_conflicts_moves_ownership_to_the_applier()
    {
        Assert.Equal(201, (await ApplyAsync(ConfigMaps + "/forced", Cm("forced", ("a", "1"), ("b", "1")), "alpha")).Status);
        var kubectl = await sim.KubectlAsync(Cm("forced", ("a", "2")).ToJsonString(), "apply", "--server-side", "--field-manager=beta", "--force-conflicts", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);

        Assert.Equal("2", sim.Host.Store.Get(Kinds.ConfigMap, "proj", "forced")["data"]!["a"]!.GetValue<string>());
        var entries = Entries("forced");
        Assert.Equal("""{"f:data":{"f:b":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", Fields(entries, "alpha").ToJsonString());
        Assert.Equal("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", Fields(entries, "beta").ToJsonString());
    }

    /// <summary>merge/update.go update: only Modified or Added fields conflict; the same value applied by two managers is owned by both.</summary>
    [Fact]
    public async Task The_same_value_applied_by_two_managers_is_shared_not_a_conflict()
    {
        Assert.Equal(201, (await ApplyAsync(ConfigMaps + "/shared", Cm("shared", ("a", "1")), "alpha")).Status);
        var python = await ApplyAsync(ConfigMaps + "/shared", Cm("shared", ("a", "1")), "beta");
        Assert.Equal(200, python.Status);
        var entries = Entries("shared");
        Assert.Equal(Fields(entries, "alpha").ToJsonString(), Fields(entries, "beta").ToJsonString());
    }

    /// <summary>merge/update.go prune: fields the manager applied last time and no longer applies are removed unless another manager owns them.</summary>
    [Fact]
    public async Task A_field_its_only_owner_stops_applying_is_removed_and_one_another_manager_owns_stays()
    {
        Assert.Equal(201, (await ApplyAsync(ConfigMaps + "/pruned", Cm("pruned", ("a", "1"), ("b", "1"), ("c", "1")), "alpha")).Status);
        Assert.Equal(200, (await ApplyAsync(ConfigMaps + "/pruned", Cm("pruned", ("b", "1")), "beta")).Status);

        var kubectl = await sim.KubectlAsync(Cm("pruned", ("c", "1")).ToJsonString(), "apply", "--server-side", "--field-manager=alpha", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        var data = sim.Host.Store.Get(Kinds.ConfigMap, "proj", "pruned")["data"]!.AsObject();
        Assert.Equal(["b", "c"], data.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>merge/update.go Update + managedfieldsupdater.go: PUT/PATCH record an Update entry owning the fields they changed, which an apply then conflicts with ("using v1 at time").</summary>
    [Fact]
    public async Task Updates_record_Update_entries_owning_the_fields_they_changed()
    {
        var created = await sim.KubectlAsync(Cm("updated", ("a", "1")).ToJsonString(), "create", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var create = Assert.Single(Entries("updated"));
        Assert.Equal("kubectl-create", create["manager"]!.GetValue<string>());
        Assert.Equal("Update", create["operation"]!.GetValue<string>());
        Assert.Equal("""{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""", create["fieldsV1"]!.ToJsonString());

        var patch = await sim.PythonAsync("PATCH", ConfigMaps + "/updated", JsonNode.Parse("""{"data":{"b":"2"}}"""), "application/merge-patch+json", new Dictionary<string, string> { ["fieldManager"] = "patcher" });
        Assert.Equal(200, patch.Status);
        var patcher = Entries("updated").Single(e => e["manager"]!.GetValue<string>() == "patcher");
        Assert.Equal("Update", patcher["operation"]!.GetValue<string>());
        Assert.Equal("""{"f:data":{"f:b":{}}}""", patcher["fieldsV1"]!.ToJsonString());

        var apply = await ApplyAsync(ConfigMaps + "/updated", Cm("updated", ("b", "3")), "alpha");
        Assert.Equal(409, apply.Status);
        Assert.Equal($"Apply failed with 1 conflict: conflict with \"patcher\" using v1 at {patcher["time"]!.GetValue<string>()}: .data.b", apply.Message);
    }

    /// <summary>merge/update.go Apply returns no new object when nothing changed, so the write is a no-op: no new resourceVersion.</summary>
    [Fact]
    public async Task A_no_op_apply_does_not_bump_resourceVersion()
    {
        var first = await ApplyAsync(ConfigMaps + "/steady", Cm("steady", ("a", "1")), "alpha");
        Assert.Equal(201, first.Status);
        var again = await ApplyAsync(ConfigMaps + "/steady", Cm("steady", ("a", "1")), "alpha");
        Assert.Equal(200, again.Status);
        Assert.Equal(first.Body!["metadata"]!["resourceVersion"]!.GetValue<string>(), again.Body!["metadata"]!["resourceVersion"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(Cm("steady", ("a", "1")).ToJsonString(), "apply", "--server-side", "--field-manager=alpha", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Contains("serverside-applied", kubectl.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(first.Body!["metadata"]!["resourceVersion"]!.GetValue<string>(), ObjectMeta("steady"));
    }

    /// <summary>managedfields/internal/skipnonapplied.go: an object without managedFields (here a snapshot object) is first owned by "before-first-apply", so an unforced apply of other values conflicts.</summary>
    [Fact]
    public async Task Applying_to_an_object_without_managedFields_conflicts_with_before_first_apply()
    {
        var isvc = (JsonObject)JsonNode.Parse("""{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"sl-model","namespace":"proj","labels":{"team":"c"}}}""")!;
        var python = await ApplyAsync(Isvcs + "/sl-model", isvc, "alpha");
        Assert.Equal(409, python.Status);
        Assert.Matches("^Apply failed with 1 conflict: conflict with \"before-first-apply\" using serving.kserve.io/v1beta1 at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: \\.metadata\\.labels\\.team$", python.Message);

        var forced = await ApplyAsync(Isvcs + "/sl-model", isvc, "alpha", force: true);
        Assert.Equal(200, forced.Status);
        Assert.Equal("c", forced.Body!["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(["alpha", "before-first-apply"], forced.Body!["metadata"]!["managedFields"]!.AsArray().Select(e => e!["manager"]!.GetValue<string>()));
    }

    private async Task<PythonResponse> ApplyAsync(string path, JsonObject body, string manager, bool force = false)
    {
        var query = new Dictionary<string, string> { ["fieldManager"] = manager };
        if (force)
        {
            query["force"] = "true";
        }

        // The client sends a str body as it is: apply bodies are YAML, and JSON is YAML.
        return await sim.PythonAsync("PATCH", path, JsonValue.Create(body.ToJsonString()), "application/apply-patch+yaml", query);
    }

    private List<JsonObject> Entries(string configMapOrIsvc) =>
        ((sim.Host.Store.TryGet(Kinds.ConfigMap, "proj", configMapOrIsvc) ?? sim.Host.Store.Get(Kinds.InferenceService, "proj", configMapOrIsvc))
            .At("metadata", "managedFields") as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static JsonNode Fields(List<JsonObject> entries, string manager) =>
        entries.Single(e => e["manager"]!.GetValue<string>() == manager)["fieldsV1"]!;

    private string ObjectMeta(string name) => sim.Host.Store.Get(Kinds.ConfigMap, "proj", name).At("metadata", "resourceVersion")!.GetValue<string>();

    private static JsonObject Cm(string name, params (string Key, string Value)[] data)
    {
        var values = new JsonObject();
        foreach (var (key, value) in data)
        {
            values[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["labels"] = new JsonObject { ["app"] = "ssa" } },
            ["data"] = values,
        };
    }

    private static JsonObject Isvc(string name) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
        ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
    };
}
