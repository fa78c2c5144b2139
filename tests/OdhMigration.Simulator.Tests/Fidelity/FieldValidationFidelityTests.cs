using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// <c>fieldValidation=Strict|Warn|Ignore</c> on create, update, patch and apply, through kubectl and the official
/// Python client. Upstream: kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go and
/// update.go (strict decoding errors through transformDecodeError in rest.go: 400 "cannot be handled as a"),
/// patch.go (jsonPatcher: 422 on field "patch"; applyPatcher), handlers/rest.go (no directive = Warn, warnings as
/// <c>Warning: 299 - "unknown field ..."</c>), sigs.k8s.io/structured-merge-diff typed conversion ("field not
/// declared in schema") for apply.
/// </summary>
public sealed class FieldValidationFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    [Fact]
    public async Task Strict_create_and_update_with_unknown_fields_are_400_strict_decoding_error()
    {
        var python = await sim.PythonAsync("POST", Isvcs, Isvc("strict-create", unknown: true), "application/json", Strict);
        Assert.Equal(400, python.Status);
        Assert.Equal("BadRequest", python.Reason);
        Assert.Equal("InferenceService in version \"v1beta1\" cannot be handled as a InferenceService: strict decoding error: unknown field \"spec.predictor.bogus\", unknown field \"spec.replicas\"", python.Message);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "strict-create"));

        // kubectl's default --validate=strict asks the server for Strict.
        var kubectl = await sim.KubectlAsync(Isvc("strict-kubectl", unknown: true).ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.predictor.bogus\", unknown field \"spec.replicas\"", kubectl.StandardError, StringComparison.Ordinal);

        var created = await sim.PythonAsync("POST", Isvcs, Isvc("strict-update", unknown: false), "application/json", Strict);
        Assert.Equal(201, created.Status);
        var update = (JsonObject)created.Body!.DeepClone();
        update["spec"]!["replicas"] = 3;
        var put = await sim.PythonAsync("PUT", Isvcs + "/strict-update", update, "application/json", Strict);
        Assert.Equal(400, put.Status);
        Assert.Equal("InferenceService in version \"v1beta1\" cannot be handled as a InferenceService: strict decoding error: unknown field \"spec.replicas\"", put.Message);
    }

    [Fact]
    public async Task Warn_stores_without_the_unknown_fields_and_answers_Warning_headers()
    {
        var python = await sim.PythonAsync("POST", Isvcs, Isvc("warned", unknown: true), "application/json", new Dictionary<string, string> { ["fieldValidation"] = "Warn" });
        Assert.Equal(201, python.Status);
        Assert.Equal(["299 - \"unknown field \\\"spec.predictor.bogus\\\"\"", "299 - \"unknown field \\\"spec.replicas\\\"\""], python.Warnings);
        Assert.Null(python.Body!["spec"]!["replicas"]);

        // No directive means Warn, as on an API server with server-side field validation.
        var implicitWarn = await sim.PythonAsync("POST", Isvcs, Isvc("warned-default", unknown: true), "application/json");
        Assert.Equal(201, implicitWarn.Status);
        Assert.Equal(2, implicitWarn.Warnings.Count);

        var kubectl = await sim.KubectlAsync(Isvc("warned-kubectl", unknown: true).ToJsonString(), "create", "--validate=warn", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Contains("Warning: unknown field \"spec.replicas\"", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignore_drops_unknown_fields_silently()
    {
        var python = await sim.PythonAsync("POST", Isvcs, Isvc("ignored", unknown: true), "application/json", new Dictionary<string, string> { ["fieldValidation"] = "Ignore" });
        Assert.Equal(201, python.Status);
        Assert.Empty(python.Warnings);
        Assert.Null(python.Body!["spec"]!["predictor"]!["bogus"]);

        var kubectl = await sim.KubectlAsync(Isvc("ignored-kubectl", unknown: true).ToJsonString(), "create", "--validate=false", "-f", "-");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.DoesNotContain("Warning", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_merge_patch_with_unknown_fields_is_422_on_the_patch()
    {
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, Isvc("strict-patch", unknown: false), "application/json")).Status);
        var python = await sim.PythonAsync("PATCH", Isvcs + "/strict-patch", JsonNode.Parse("""{"spec":{"replicas":2}}"""), "application/merge-patch+json", Strict);
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.StartsWith(" \"\" is invalid: patch: Invalid value: \"{", python.Message, StringComparison.Ordinal);
        Assert.EndsWith("}\": strict decoding error: unknown field \"spec.replicas\"", python.Message, StringComparison.Ordinal);
        Assert.Equal("patch", python.Body!["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        // kubectl patch sends no directive: the server's default (Warn) applies, and kubectl prints the warning.
        var kubectl = await sim.KubectlAsync(null, "patch", "isvc", "strict-patch", "-n", "proj", "--type", "merge", "-p", """{"spec":{"replicas":2}}""");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Contains("Warning: unknown field \"spec.replicas\"", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Null(sim.Host.Store.Get(Kinds.InferenceService, "proj", "strict-patch").At("spec", "replicas"));
    }

    [Fact]
    public async Task Apply_with_undeclared_fields_fails_typed_conversion_whatever_the_directive()
    {
        var body = Isvc("applied", unknown: true).ToJsonString();
        foreach (var directive in new[] { "Strict", "Warn", "Ignore" })
        {
            var python = await sim.PythonAsync("PATCH", Isvcs + "/applied", body, "application/apply-patch+yaml", new Dictionary<string, string> { ["fieldManager"] = "test", ["fieldValidation"] = directive });
            Assert.Equal(500, python.Status);
            Assert.Null(python.Reason);
            Assert.Equal("failed to create typed patch object (serving.kserve.io/v1beta1, Kind=InferenceService): errors:\n  .spec.predictor.bogus: field not declared in schema\n  .spec.replicas: field not declared in schema", python.Message);
        }

        var kubectl = await sim.KubectlAsync(body, "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains(".spec.replicas: field not declared in schema", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "applied"));
    }

    [Fact]
    public async Task An_unknown_directive_is_400()
    {
        var python = await sim.PythonAsync("POST", Isvcs, Isvc("bad-directive", unknown: false), "application/json", new Dictionary<string, string> { ["fieldValidation"] = "Loose" });
        Assert.Equal(400, python.Status);
        Assert.Equal("BadRequest", python.Reason);
    }

    private static Dictionary<string, string> Strict => new() { ["fieldValidation"] = "Strict" };

    private static JsonObject Isvc(string name, bool unknown)
    {
        var isvc = new JsonObject
        {
            ["apiVersion"] = "serving.kserve.io/v1beta1",
            ["kind"] = "InferenceService",
            // ModelMesh: no emulated controller writes these ISVCs' status, so an update built from the create response
            // keeps a current resourceVersion (a reconciled Serverless or Raw ISVC would answer 409 Conflict).
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj", ["annotations"] = new JsonObject { ["serving.kserve.io/deploymentMode"] = "ModelMesh" } },
            ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
        };
        if (unknown)
        {
            isvc["spec"]!["predictor"]!["bogus"] = true;
            isvc["spec"]!["replicas"] = 2;
        }

        return isvc;
    }
}
