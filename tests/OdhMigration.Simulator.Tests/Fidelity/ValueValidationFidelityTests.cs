using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Tests.Fidelity.Support;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Value validations of structural schemas beyond the per-field keywords, through kubectl and the official Python
/// client, against the real CRDs in ../shared/crds (and one small test CRD for the shapes they lack). Upstream:
/// kubernetes/kube-openapi pkg/validation/validate/schema_props.go and schema_messages.go (anyOf/oneOf/allOf/not
/// composite errors); kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/validation/
/// validation.go (kubeOpenAPIResultToFieldErrors: composite errors become <c>field.Invalid(nil, "", msg)</c>, shown
/// as <c>&lt;nil&gt;: Invalid value: ""</c>), .../pkg/apiserver/schema/listtype/validation.go
/// (ValidateListSetsAndMaps), .../pkg/registry/customresource/strategy.go (list uniqueness after the schema, ratcheted
/// on update) and k8s.io/apimachinery pkg/util/validation/field/errors.go ErrorBody as in Kubernetes 1.30 (compound
/// duplicates printed with Go's %#v).
/// </summary>
public sealed class ValueValidationFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Routes = "/apis/route.openshift.io/v1/namespaces/proj/routes";
    private const string Isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    [Fact]
    public async Task A_route_target_port_of_0_fails_the_not_inside_allOf_with_kube_openapis_composite_errors()
    {
        var route = Route("zero-port");
        route["spec"]!["port"] = new JsonObject { ["targetPort"] = 0 };
        const string expected = "Route.route.openshift.io \"zero-port\" is invalid: [<nil>: Invalid value: \"\": \"spec.port.targetPort\" must not validate the schema (not), <nil>: Invalid value: \"\": \"spec.port.targetPort\" must validate all the schemas (allOf)]";

        var python = await sim.PythonAsync("POST", Routes, route, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal(expected, python.Message);
        var cause = python.Body!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("<nil>", cause["field"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(route.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("\"spec.port.targetPort\" must not validate the schema (not)", kubectl.StandardError, StringComparison.Ordinal);

        route["spec"]!["port"]!["targetPort"] = "http";
        Assert.Equal(201, (await sim.PythonAsync("POST", Routes, route, "application/json")).Status);
    }

    [Fact]
    public async Task A_passthrough_route_with_a_path_fails_the_specs_anyOf()
    {
        var route = Route("passthrough-path");
        route["spec"]!["path"] = "/v1";
        route["spec"]!["tls"] = new JsonObject { ["termination"] = "passthrough" };

        // kube-openapi also lists the errors of the anyOf branch that ran the most checks; the simulator does not.
        var python = await sim.PythonAsync("POST", Routes, route, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.StartsWith("Route.route.openshift.io \"passthrough-path\" is invalid: [", python.Message, StringComparison.Ordinal);
        Assert.Contains("<nil>: Invalid value: \"\": \"spec\" must validate at least one schema (anyOf)", python.Message, StringComparison.Ordinal);
        Assert.Contains("<nil>: Invalid value: \"\": \"spec\" must validate all the schemas (allOf)", python.Message, StringComparison.Ordinal);

        var kubectl = await sim.KubectlAsync(route.ToJsonString(), "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("\"spec\" must validate at least one schema (anyOf)", kubectl.StandardError, StringComparison.Ordinal);

        route["spec"]!.AsObject().Remove("path");
        Assert.Equal(201, (await sim.PythonAsync("POST", Routes, route, "application/json")).Status);
    }

    [Fact]
    public async Task Duplicate_keys_of_a_list_map_are_422_Duplicate_value_with_the_key_as_go_prints_it()
    {
        var isvc = Isvc("dup-env");
        isvc["spec"]!["predictor"]!["model"]!["env"] = new JsonArray(
            new JsonObject { ["name"] = "A", ["value"] = "1" },
            new JsonObject { ["name"] = "B", ["value"] = "2" },
            new JsonObject { ["name"] = "A", ["value"] = "3" });
        const string expected = "InferenceService.serving.kserve.io \"dup-env\" is invalid: spec.predictor.model.env[2]: Duplicate value: map[string]interface {}{\"name\":\"A\"}";

        var python = await sim.PythonAsync("POST", Isvcs, isvc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal(expected, python.Message);
        var cause = python.Body!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueDuplicate", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.predictor.model.env[2]", cause["field"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.predictor.model.env[2]: Duplicate value: map[string]interface {}{\"name\":\"A\"}", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "dup-env"));
    }

    [Fact]
    public async Task Duplicate_multi_key_list_map_items_name_every_key_after_defaults()
    {
        // ports are keyed by containerPort and protocol; protocol is defaulted to TCP before the check.
        var isvc = Isvc("dup-ports");
        isvc["spec"]!["predictor"]!["model"]!["ports"] = new JsonArray(
            new JsonObject { ["containerPort"] = 8080 },
            new JsonObject { ["containerPort"] = 8080, ["protocol"] = "TCP" });
        var python = await sim.PythonAsync("POST", Isvcs, isvc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("InferenceService.serving.kserve.io \"dup-ports\" is invalid: spec.predictor.model.ports[1]: Duplicate value: map[string]interface {}{\"containerPort\":8080, \"protocol\":\"TCP\"}", python.Message);

        isvc["spec"]!["predictor"]!["model"]!["ports"]![1]!["protocol"] = "UDP";
        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "create", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
    }

    [Fact]
    public async Task An_update_of_an_object_that_already_breaks_uniqueness_is_not_refused_for_it()
    {
        // Ratcheting: the stored object (a snapshot object is never validated) already has a duplicate.
        var isvc = Isvc("ratchet");
        isvc["spec"]!["predictor"]!["model"]!["env"] = new JsonArray(new JsonObject { ["name"] = "A" }, new JsonObject { ["name"] = "A" });
        sim.Host.Store.Load([new SnapshotObject(Kinds.InferenceService, isvc, "test", 1)]);

        var python = await sim.PythonAsync("PATCH", Isvcs + "/ratchet", JsonNode.Parse("""{"metadata":{"labels":{"team":"a"}}}"""), "application/merge-patch+json");
        Assert.Equal(200, python.Status);
    }

    [Fact]
    public async Task Set_duplicates_and_oneOf_are_checked_on_a_crd_that_declares_them()
    {
        var (host, kubeconfig, directory) = await SimulatorFixture.StartAsync(TestSnapshot.Basic, new SimulatorOptions { Crds = new CrdSchemas([TestCrd]), ExtraKinds = [Widget] });
        try
        {
            var widget = new JsonObject
            {
                ["apiVersion"] = "example.com/v1",
                ["kind"] = "Widget",
                ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "proj" },
                ["spec"] = new JsonObject { ["tags"] = new JsonArray("a", "b", "a", 1, "1", "a"), ["size"] = 5 },
            };

            // "a" is reported once, at its second appearance; 1 and "1" are different set members.
            var python = await PythonClient.SendAsync(kubeconfig, "POST", "/apis/example.com/v1/namespaces/proj/widgets", widget, "application/json");
            Assert.Equal(422, python.Status);
            Assert.Equal("Invalid", python.Reason);
            Assert.Equal("Widget.example.com \"w\" is invalid: [<nil>: Invalid value: \"\": \"spec.size\" must validate one and only one schema (oneOf). Found 2 valid alternatives, spec.tags[2]: Duplicate value: \"a\"]", python.Message);

            widget["spec"]!["tags"] = new JsonArray("a", "b");
            widget["spec"]!["size"] = 50;
            var kubectl = await KubectlClient.RunAsync(kubeconfig, widget.ToJsonString(), "create", "-f", "-");
            Assert.NotEqual(0, kubectl.ExitCode);
            Assert.Contains("\"spec.size\" must validate one and only one schema (oneOf). Found none valid", kubectl.StandardError, StringComparison.Ordinal);

            widget["spec"]!["size"] = 1;
            Assert.Equal(201, (await PythonClient.SendAsync(kubeconfig, "POST", "/apis/example.com/v1/namespaces/proj/widgets", widget, "application/json")).Status);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly ResourceKind Widget = new("example.com", "v1", "Widget", "widgets", true);

    /// <summary>A small CRD with a set list and a oneOf of two overlapping ranges (the served stable-2.x CRDs have neither).</summary>
    private static JsonObject TestCrd => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Widget","plural":"widgets","singular":"widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","properties":{
              "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"x-kubernetes-int-or-string":true}},
              "size":{"type":"integer","oneOf":[{"maximum":10},{"minimum":3,"maximum":20}]}}}}}}}]}}
        """)!;

    private static JsonObject Route(string name) => new()
    {
        ["apiVersion"] = "route.openshift.io/v1",
        ["kind"] = "Route",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
        ["spec"] = new JsonObject { ["to"] = new JsonObject { ["kind"] = "Service", ["name"] = "svc" } },
    };

    private static JsonObject Isvc(string name) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = "RawDeployment" } },
        ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
    };
}
