using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// CRD structural schemas, as kube-apiserver applies them to custom resources, checked through kubectl and the
/// official Python client against the real ODH 2.x KServe CRDs. Upstream rules:
/// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go,
/// .../schema/defaulting/algorithm.go, .../pkg/apiserver/validation/validation.go (kubeOpenAPIResultToFieldErrors)
/// and k8s.io/kube-openapi pkg/validation (messages "in body must be of type", "should match").
/// </summary>
public sealed class SchemaFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string IsvcPath = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    [Fact]
    public async Task Pruning_drops_fields_the_schema_does_not_declare()
    {
        var isvc = Isvc("pruned");
        isvc["spec"]!["predictor"]!["model"]!["bogus"] = "x";
        isvc["metadata"]!["bogus"] = "y";
        var python = await sim.PythonAsync("POST", IsvcPath, isvc, "application/json", Query("fieldValidation", "Ignore"));
        Assert.Equal(201, python.Status);
        Assert.Null(python.Body!["spec"]!["predictor"]!["model"]!["bogus"]);
        Assert.Null(python.Body!["metadata"]!["bogus"]);
        Assert.Equal("s3://bucket/model", python.Body!["spec"]!["predictor"]!["model"]!["storageUri"]!.GetValue<string>());

        var manifest = Isvc("pruned-kubectl");
        manifest["spec"]!["predictor"]!["bogus"] = 1;
        var create = await sim.KubectlAsync(manifest.ToJsonString(), "create", "--validate=false", "-f", "-");
        Assert.True(create.ExitCode == 0, create.StandardError);
        var stored = await sim.KubectlAsync(null, "get", "isvc", "pruned-kubectl", "-n", "proj", "-o", "json");
        Assert.DoesNotContain("bogus", stored.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_mismatch_is_422_Invalid_with_the_field_path()
    {
        var isvc = Isvc("bad-type");
        isvc["spec"]!["predictor"]!["minReplicas"] = "two";
        const string expected = "spec.predictor.minReplicas: Invalid value: \"string\": spec.predictor.minReplicas in body must be of type integer: \"string\"";

        var python = await sim.PythonAsync("POST", IsvcPath, isvc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal($"InferenceService.serving.kserve.io \"bad-type\" is invalid: {expected}", python.Message);
        var cause = python.Body!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueTypeInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.predictor.minReplicas", cause["field"]!.GetValue<string>());
        Assert.Equal("InferenceService", python.Body!["details"]!["kind"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains($"The InferenceService \"bad-type\" is invalid: {expected}", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "bad-type"));
    }

    [Fact]
    public async Task Enum_violation_is_Unsupported_value_listing_the_supported_ones()
    {
        var isvc = Isvc("bad-enum");
        isvc["spec"]!["predictor"]!["scaleMetric"] = "gpu";
        var python = await sim.PythonAsync("POST", IsvcPath, isvc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("InferenceService.serving.kserve.io \"bad-enum\" is invalid: spec.predictor.scaleMetric: Unsupported value: \"gpu\": supported values: \"cpu\", \"memory\", \"concurrency\", \"rps\"", python.Message);
        Assert.Equal("FieldValueNotSupported", python.Body!["details"]!["causes"]![0]!["reason"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.predictor.scaleMetric: Unsupported value: \"gpu\"", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_fields_are_Required_value_and_several_errors_are_bracketed()
    {
        var isvc = Isvc("no-predictor");
        isvc["spec"] = new JsonObject();
        var python = await sim.PythonAsync("POST", IsvcPath, isvc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("InferenceService.serving.kserve.io \"no-predictor\" is invalid: spec.predictor: Required value", python.Message);
        Assert.Equal("FieldValueRequired", python.Body!["details"]!["causes"]![0]!["reason"]!.GetValue<string>());

        var two = Isvc("two-errors");
        two["spec"]!["predictor"]!["containers"] = new JsonArray(new JsonObject { ["image"] = "x" });
        two["spec"]!["predictor"]!["maxReplicas"] = true;
        var both = await sim.PythonAsync("POST", IsvcPath, two, "application/json");
        Assert.Equal(422, both.Status);
        Assert.StartsWith("InferenceService.serving.kserve.io \"two-errors\" is invalid: [", both.Message, StringComparison.Ordinal);
        Assert.Contains("spec.predictor.containers[0].name: Required value", both.Message, StringComparison.Ordinal);
        Assert.Contains("spec.predictor.maxReplicas: Invalid value: \"boolean\": spec.predictor.maxReplicas in body must be of type integer: \"boolean\"", both.Message, StringComparison.Ordinal);
        Assert.Equal(2, both.Body!["details"]!["causes"]!.AsArray().Count);

        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "create", "-f", "-");
        Assert.Contains("spec.predictor: Required value", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Int_or_string_accepts_integers_and_quantities_and_refuses_other_types_and_patterns()
    {
        var ok = Isvc("quantities");
        ok["spec"]!["predictor"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = 2, ["memory"] = "4Gi" } };
        Assert.Equal(201, (await sim.PythonAsync("POST", IsvcPath, ok, "application/json")).Status);

        var wrongType = Isvc("quantity-bool");
        wrongType["spec"]!["predictor"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = true } };
        var python = await sim.PythonAsync("POST", IsvcPath, wrongType, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Contains("spec.predictor.resources.limits.cpu: Invalid value: \"boolean\": spec.predictor.resources.limits.cpu in body must be of type integer,string: \"boolean\"", python.Message, StringComparison.Ordinal);

        var badPattern = Isvc("quantity-text");
        badPattern["spec"]!["predictor"]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "lots" } };
        var kubectl = await sim.KubectlAsync(badPattern.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.predictor.resources.limits.memory: Invalid value: \"lots\": spec.predictor.resources.limits.memory in body should match '^(\\+|-)?", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_defaults_are_applied_on_create()
    {
        var runtime = new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1alpha1",
            ["kind"] = "ServingRuntime",
            ["metadata"] = new JsonObject { ["name"] = "defaulted", ["namespace"] = "proj" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "ovms", ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }) }),
                ["supportedModelFormats"] = new JsonArray(new JsonObject { ["name"] = "onnx" }),
            },
        };
        var python = await sim.PythonAsync("POST", "/apis/serving.kserve.io/v1alpha1/namespaces/proj/servingruntimes", runtime, "application/json");
        Assert.Equal(201, python.Status);
        Assert.Equal("TCP", python.Body!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]!.GetValue<string>());

        var isvc = Isvc("pull-secret-default");
        isvc["spec"]!["predictor"]!["imagePullSecrets"] = new JsonArray(new JsonObject());
        var kubectl = await sim.KubectlAsync(isvc.ToJsonString(), "create", "-f", "-", "-o", "jsonpath={.spec.predictor.imagePullSecrets}");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Equal("[{\"name\":\"\"}]", kubectl.StandardOutput.Trim());
    }

    [Fact]
    public async Task Status_is_validated_and_keeps_fields_under_preserve_unknown_fields()
    {
        // A ModelMesh ISVC: no emulated controller writes its status (KServe skips ModelMesh ISVCs; the modelmesh
        // controller is not emulated), so the status written here stays as written.
        var modelMesh = Isvc("status-checks");
        modelMesh["metadata"]!["annotations"]!["serving.kserve.io/deploymentMode"] = "ModelMesh";
        var created = await sim.PythonAsync("POST", IsvcPath, modelMesh, "application/json");
        Assert.Equal(201, created.Status);
        var body = (JsonObject)created.Body!.DeepClone();
        body["status"] = new JsonObject
        {
            ["vendorNote"] = "kept",
            ["modelStatus"] = new JsonObject { ["lastFailureInfo"] = new JsonObject { ["time"] = "yesterday" } },
        };
        var bad = await sim.PythonAsync("PUT", IsvcPath + "/status-checks/status", body, "application/json");
        Assert.Equal(422, bad.Status);
        Assert.Contains("status.modelStatus.lastFailureInfo.time: Invalid value: \"yesterday\": status.modelStatus.lastFailureInfo.time in body must be of type date-time: \"yesterday\"", bad.Message, StringComparison.Ordinal);

        body["status"]!["modelStatus"]!["lastFailureInfo"]!["time"] = "2026-01-02T03:04:05Z";
        var good = await sim.PythonAsync("PUT", IsvcPath + "/status-checks/status", body, "application/json");
        Assert.Equal(200, good.Status);
        Assert.Equal("kept", good.Body!["status"]!["vendorNote"]!.GetValue<string>());
        Assert.Equal("UpToDate", good.Body!["status"]!["modelStatus"]!["transitionStatus"]!.GetValue<string>()); // a schema default
    }

    [Fact]
    public async Task A_kind_without_a_schema_stays_schemaless()
    {
        var vs = new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1beta1",
            ["kind"] = "VirtualService",
            ["metadata"] = new JsonObject { ["name"] = "free-form", ["namespace"] = "proj" },
            ["spec"] = new JsonObject { ["anything"] = new JsonObject { ["goes"] = 1 } },
        };
        var python = await sim.PythonAsync("POST", "/apis/networking.istio.io/v1beta1/namespaces/proj/virtualservices", vs, "application/json", Query("fieldValidation", "Strict"));
        Assert.Equal(201, python.Status);
        Assert.Equal(1, python.Body!["spec"]!["anything"]!["goes"]!.GetValue<int>());
    }

    [Fact]
    public void Embedded_resources_keep_their_type_and_metadata_and_need_apiVersion_and_kind()
    {
        var schema = StructuralSchema.Compile((JsonObject)JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object","properties":{"replicas":{"type":"integer"}}}}}}}}}
            """)!);
        var obj = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"x/v1","kind":"X","metadata":{"name":"a"},"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","bogus":1},"spec":{"replicas":1,"other":2}}}}
            """)!;
        var unknown = SchemaPruner.PruneRoot(obj, schema);
        Assert.Equal(["spec.template.metadata.bogus", "spec.template.spec.other"], unknown);
        Assert.Equal("Pod", obj["spec"]!["template"]!["kind"]!.GetValue<string>());
        Assert.Empty(SchemaValidator.ValidateRoot(obj, schema));

        ((JsonObject)obj["spec"]!["template"]!).Remove("kind");
        var errors = SchemaValidator.ValidateRoot(obj, schema);
        Assert.Equal("spec.template.kind: Required value: must not be empty", Assert.Single(errors).ToString());
    }

    private static JsonObject Isvc(string name) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = "RawDeployment" } },
        ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
    };

    private static Dictionary<string, string> Query(string key, string value) => new() { [key] = value };
}
