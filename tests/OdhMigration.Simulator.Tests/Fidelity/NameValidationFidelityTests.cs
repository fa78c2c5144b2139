using System.Text.Json.Nodes;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// metadata.name on create and on an apply that creates, as kube-apiserver checks it, through kubectl and the
/// official Python client. Upstream: kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/api/validation/
/// objectmeta.go (ValidateObjectMeta), staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
/// (IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label, RegexError), pkg/apis/core/validation/validation.go
/// (ValidateNamespaceName, ValidateServiceName), pkg/apis/rbac/validation/validation.go (ValidateRBACName:
/// path segment names), apiextensions-apiserver pkg/registry/customresource/validator.go (custom resources: subdomain).
/// </summary>
public sealed class NameValidationFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    [Fact]
    public async Task A_name_that_is_not_an_RFC_1123_subdomain_is_422_Invalid_on_create_and_apply()
    {
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "Bad_Name", ["namespace"] = "proj" } };
        var python = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", cm, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal($"ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": {Subdomain}", python.Message);
        var cause = Assert.Single(python.Body!["details"]!["causes"]!.AsArray());
        Assert.Equal("metadata.name", cause!["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());

        var apply = await sim.KubectlAsync(cm.ToJsonString(), "apply", "--server-side", "--field-manager=alpha", "-f", "-");
        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains($"metadata.name: Invalid value: \"Bad_Name\": {Subdomain}", apply.StandardError, StringComparison.Ordinal);

        var isvc = JsonNode.Parse("""
            {"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"Model.A","namespace":"proj"},
             "spec":{"predictor":{"model":{"modelFormat":{"name":"onnx"},"storageUri":"s3://b/m"}}}}
            """)!;
        var custom = await sim.PythonAsync("POST", "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices", isvc, "application/json");
        Assert.Equal(422, custom.Status);
        Assert.Equal($"InferenceService.serving.kserve.io \"Model.A\" is invalid: metadata.name: Invalid value: \"Model.A\": {Subdomain}", custom.Message);
    }

    [Fact]
    public async Task A_namespace_name_must_be_an_RFC_1123_label()
    {
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team.a" } };
        var python = await sim.PythonAsync("POST", "/api/v1/namespaces", ns, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Namespace \"team.a\" is invalid: metadata.name: Invalid value: \"team.a\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", python.Message);

        var kubectl = await sim.KubectlAsync(null, "create", "namespace", "team.a");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("a lowercase RFC 1123 label must consist of", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_name_must_be_a_DNS_1035_label()
    {
        var svc = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"1svc","namespace":"proj"},"spec":{"ports":[{"port":80}]}}""")!;
        var python = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/services", svc, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Service \"1svc\" is invalid: metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')", python.Message);

        var kubectl = await sim.KubectlAsync(svc.ToJsonString(), "apply", "--server-side", "--field-manager=alpha", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("a DNS-1035 label must consist of", kubectl.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_RBAC_name_is_a_path_segment_so_colons_pass_and_slashes_do_not()
    {
        var role = JsonNode.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"system:reader","namespace":"proj"},"rules":[]}""")!;
        Assert.Equal(201, (await sim.PythonAsync("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/roles", role, "application/json")).Status);

        role["metadata"]!["name"] = "a/b";
        var python = await sim.PythonAsync("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/roles", role, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Role.rbac.authorization.k8s.io \"a/b\" is invalid: metadata.name: Invalid value: \"a/b\": may not contain '/'", python.Message);
    }
}
