using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Updates and patches as kube-apiserver answers them, through kubectl and the official Python client. Upstream:
/// kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go (Update: "must be
/// specified for an update", UID preconditions), staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go and
/// apiextensions-apiserver pkg/apiserver/customresource_handler.go (no strategic merge patch for custom resources),
/// staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (merge keys, $patch), pkg/apis/core/validation/
/// validation.go (ValidateSecretUpdate, ValidateConfigMapUpdate, ValidatePersistentVolumeClaimUpdate),
/// pkg/apis/core/v1/conversion.go (Secret stringData), pkg/apis/rbac/validation (roleRef).
/// </summary>
public sealed class UpdateAndPatchFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    [Fact]
    public async Task Put_of_a_custom_resource_without_resourceVersion_is_422_must_be_specified_for_an_update()
    {
        var created = await sim.PythonAsync("POST", Isvcs, Isvc("unconditional"), "application/json");
        Assert.Equal(201, created.Status);
        var body = Isvc("unconditional");
        body["spec"]!["predictor"]!["minReplicas"] = 2;

        var python = await sim.PythonAsync("PUT", Isvcs + "/unconditional", body, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal("inferenceservices.serving.kserve.io \"unconditional\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", python.Message);
        Assert.Equal("metadata.resourceVersion", python.Body!["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        // kubectl replace fills a missing resourceVersion from the server (resource.Helper.Replace); --raw sends the body as is.
        var kubectl = await sim.KubectlAsync(body.ToJsonString(), "replace", "--raw", Isvcs + "/unconditional", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("must be specified for an update", kubectl.StandardError, StringComparison.Ordinal);
        var filled = await sim.KubectlAsync(body.ToJsonString(), "replace", "-f", "-");
        Assert.True(filled.ExitCode == 0, filled.StandardError);

        // Built-in kinds allow unconditional updates.
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "unconditional", ["namespace"] = "proj" }, ["data"] = new JsonObject { ["a"] = "1" } };
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", cm, "application/json")).Status);
        cm["data"]!["a"] = "2";
        Assert.Equal(200, (await sim.PythonAsync("PUT", "/api/v1/namespaces/proj/configmaps/unconditional", cm, "application/json")).Status);
    }

    [Fact]
    public async Task Put_with_another_uid_is_409_precondition_failed()
    {
        var created = await sim.PythonAsync("POST", Isvcs, Isvc("uid-check"), "application/json");
        var body = (JsonObject)created.Body!.DeepClone();
        var uid = body["metadata"]!["uid"]!.GetValue<string>();
        body["metadata"]!["uid"] = "00000000-0000-0000-0000-000000000000";
        var python = await sim.PythonAsync("PUT", Isvcs + "/uid-check", body, "application/json");
        Assert.Equal(409, python.Status);
        Assert.Equal("Conflict", python.Reason);
        Assert.Equal($"Operation cannot be fulfilled on inferenceservices.serving.kserve.io \"uid-check\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: {uid}", python.Message);

        var kubectl = await sim.KubectlAsync(body.ToJsonString(), "replace", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("Precondition failed: UID in precondition", kubectl.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// A merge patch carrying metadata.uid: handlers/patch.go hands the store DefaultUpdatedObjectInfo(nil, ...), whose
    /// Preconditions() is nil (registry/rest/update.go), so no 409 precondition; the patched object then fails
    /// rest.BeforeUpdate's validateCommonFields (apimachinery pkg/api/validation/objectmeta.go
    /// ValidateObjectMetaAccessorUpdate: ValidateImmutableField on metadata.uid) with 422. The same uid is a no-op.
    /// Either way the object is not changed when the uid names another one.
    /// </summary>
    [Fact]
    public async Task Merge_patch_carrying_another_uid_is_422_uid_immutable_and_changes_nothing()
    {
        var created = await sim.PythonAsync("POST", Isvcs, Isvc("patch-uid"), "application/json");
        Assert.Equal(201, created.Status);
        var uid = created.Body!["metadata"]!["uid"]!.GetValue<string>();
        var other = JsonNode.Parse("""{"metadata":{"uid":"00000000-0000-0000-0000-000000000000","annotations":{"serving.kserve.io/stop":"true"}}}""");
        var python = await sim.PythonAsync("PATCH", Isvcs + "/patch-uid", other, "application/merge-patch+json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal("InferenceService.serving.kserve.io \"patch-uid\" is invalid: metadata.uid: Invalid value: \"00000000-0000-0000-0000-000000000000\": field is immutable", python.Message);
        Assert.Equal("metadata.uid", python.Body!["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        var after = await sim.PythonAsync("GET", Isvcs + "/patch-uid", null, "application/json");
        Assert.Null(after.Body!["metadata"]!["annotations"]?["serving.kserve.io/stop"]);

        var same = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = uid, ["annotations"] = new JsonObject { ["serving.kserve.io/stop"] = "true" } } };
        var patched = await sim.PythonAsync("PATCH", Isvcs + "/patch-uid", same, "application/merge-patch+json");
        Assert.Equal(200, patched.Status);
        Assert.Equal("true", patched.Body!["metadata"]!["annotations"]!["serving.kserve.io/stop"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(null, "patch", "isvc", "patch-uid", "-n", "proj", "--type=merge", "-p", other!.ToJsonString());
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("metadata.uid: Invalid value", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415_unsupported_media_type()
    {
        Assert.Equal(201, (await sim.PythonAsync("POST", Isvcs, Isvc("no-smp"), "application/json")).Status);
        var patch = JsonNode.Parse("""{"spec":{"predictor":{"minReplicas":2}}}""");
        var python = await sim.PythonAsync("PATCH", Isvcs + "/no-smp", patch, "application/strategic-merge-patch+json");
        Assert.Equal(415, python.Status);
        Assert.Equal("UnsupportedMediaType", python.Reason);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", python.Message);

        var kubectl = await sim.KubectlAsync(null, "patch", "isvc", "no-smp", "-n", "proj", "-p", patch!.ToJsonString());
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported", kubectl.StandardError, StringComparison.Ordinal);
        Assert.Null(sim.Host.Store.Get(Kinds.InferenceService, "proj", "no-smp").At("spec", "predictor", "minReplicas"));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_lists_by_their_patch_merge_key_with_patch_directives()
    {
        var sa = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "smp", ["namespace"] = "proj" },
            ["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "a" }),
        };
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/serviceaccounts", sa, "application/json")).Status);

        var kubectl = await sim.KubectlAsync(null, "patch", "sa", "smp", "-n", "proj", "-p", """{"imagePullSecrets":[{"name":"b"}]}""");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Equal(["a", "b"], PullSecrets());

        var delete = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/serviceaccounts/smp", JsonNode.Parse("""{"imagePullSecrets":[{"$patch":"delete","name":"a"}]}"""), "application/strategic-merge-patch+json");
        Assert.Equal(200, delete.Status);
        Assert.Equal(["b"], PullSecrets());

        var replace = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/serviceaccounts/smp", JsonNode.Parse("""{"imagePullSecrets":[{"$patch":"replace"},{"name":"c"}]}"""), "application/strategic-merge-patch+json");
        Assert.Equal(200, replace.Status);
        Assert.Equal(["c"], PullSecrets());

        string[] PullSecrets() => sim.Host.Store.Get(Kinds.ServiceAccount, "proj", "smp")["imagePullSecrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToArray();
    }

    [Fact]
    public async Task Secret_stringData_is_merged_into_data_and_never_returned()
    {
        var secret = Secret("string-data");
        secret["stringData"] = new JsonObject { ["b"] = "plain", ["a"] = "overrides" };
        var python = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/secrets", secret, "application/json");
        Assert.Equal(201, python.Status);
        Assert.Null(python.Body!["stringData"]);
        Assert.Equal(Convert.ToBase64String("plain"u8.ToArray()), python.Body!["data"]!["b"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String("overrides"u8.ToArray()), python.Body!["data"]!["a"]!.GetValue<string>());
        Assert.Equal("Opaque", python.Body!["type"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(null, "get", "secret", "string-data", "-n", "proj", "-o", "json");
        Assert.DoesNotContain("stringData", kubectl.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_data_must_be_base64()
    {
        var secret = Secret("not-base64");
        secret["data"] = new JsonObject { ["a"] = "not base64!" };
        var python = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/secrets", secret, "application/json");
        Assert.Equal(400, python.Status);
        Assert.Equal("BadRequest", python.Reason);
        Assert.Equal("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3", python.Message);

        var kubectl = await sim.KubectlAsync(secret.ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("illegal base64 data at input byte 3", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Immutable_secrets_and_configmaps_refuse_changes_and_secret_type_is_immutable()
    {
        var secret = Secret("frozen");
        secret["immutable"] = true;
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/secrets", secret, "application/json")).Status);
        var change = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/secrets/frozen", JsonNode.Parse("""{"data":{"a":"Yg=="}}"""), "application/merge-patch+json");
        Assert.Equal(422, change.Status);
        Assert.Equal("Secret \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set", change.Message);

        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "frozen", ["namespace"] = "proj" }, ["data"] = new JsonObject { ["a"] = "1" }, ["immutable"] = true };
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", cm, "application/json")).Status);
        var thaw = await sim.KubectlAsync(null, "patch", "cm", "frozen", "-n", "proj", "--type", "merge", "-p", """{"immutable":false}""");
        Assert.NotEqual(0, thaw.ExitCode);
        Assert.Contains("ConfigMap \"frozen\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set", thaw.StandardError, StringComparison.Ordinal);

        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/secrets", Secret("typed"), "application/json")).Status);
        var retype = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/secrets/typed", JsonNode.Parse("""{"type":"kubernetes.io/basic-auth"}"""), "application/merge-patch+json");
        Assert.Equal(422, retype.Status);
        Assert.Equal("Secret \"typed\" is invalid: type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable", retype.Message);
    }

    [Fact]
    public async Task Pvc_spec_is_immutable_except_requests_of_a_bound_claim()
    {
        var pvc = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"proj"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}
            """)!;
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/persistentvolumeclaims", pvc, "application/json")).Status);
        var grow = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/persistentvolumeclaims/data", JsonNode.Parse("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(422, grow.Status);
        Assert.StartsWith("PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims", grow.Message, StringComparison.Ordinal);

        var kubectl = await sim.KubectlAsync(null, "patch", "pvc", "data", "-n", "proj", "-p", """{"spec":{"accessModes":["ReadWriteMany"]}}""");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec is immutable after creation", kubectl.StandardError, StringComparison.Ordinal);

        var bound = sim.Host.Store.Get(Kinds.PersistentVolumeClaim, "proj", "data");
        bound["status"] = new JsonObject { ["phase"] = "Bound" };
        sim.Host.Store.Update(Kinds.PersistentVolumeClaim, "proj", "data", bound, Store.WriteContext.Internal("test", "status"));
        var expand = await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/persistentvolumeclaims/data", JsonNode.Parse("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(200, expand.Status);
    }

    [Fact]
    public async Task RoleBinding_roleRef_cannot_change()
    {
        var binding = JsonNode.Parse("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"proj"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"a"},"subjects":[{"kind":"ServiceAccount","name":"x","namespace":"proj"}]}
            """)!;
        Assert.Equal(201, (await sim.PythonAsync("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/rolebindings", binding, "application/json")).Status);
        var python = await sim.PythonAsync("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/rolebindings/rb", JsonNode.Parse("""{"roleRef":{"name":"b"}}"""), "application/merge-patch+json");
        Assert.Equal(422, python.Status);
        Assert.Equal("RoleBinding.rbac.authorization.k8s.io \"rb\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"b\"}: cannot change roleRef", python.Message);
    }

    private static JsonObject Secret(string name) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
        ["data"] = new JsonObject { ["a"] = "YQ==" },
    };

    private static JsonObject Isvc(string name) => new()
    {
        ["apiVersion"] = "serving.kserve.io/v1beta1",
        ["kind"] = "InferenceService",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
        ["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "openvino_ir" }, ["storageUri"] = "s3://bucket/model" } } },
    };
}
