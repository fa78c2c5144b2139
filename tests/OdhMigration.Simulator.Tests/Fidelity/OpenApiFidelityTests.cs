using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// The OpenAPI documents kubectl explain reads, through kubectl and the official Python client. Upstream:
/// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder/builder.go
/// (CRD definitions: ObjectMeta reference, x-kubernetes-group-version-kind, v2 conversion),
/// staging/src/k8s.io/kube-openapi/pkg/handler3/handler.go (the /openapi/v3 index of serverRelativeURLs with a
/// hash) and staging/src/k8s.io/kubectl/pkg/explain/v2 (explain over OpenAPI v3).
/// </summary>
public sealed class OpenApiFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    [Fact]
    public async Task Kubectl_explain_walks_the_crd_schema_and_shows_its_descriptions()
    {
        var predictor = await sim.KubectlAsync(null, "explain", "inferenceservices.spec.predictor", "--api-version=serving.kserve.io/v1beta1");
        Assert.True(predictor.ExitCode == 0, predictor.StandardError);
        Assert.Matches(new Regex(@"KIND:\s+InferenceService"), predictor.StandardOutput);
        Assert.Matches(new Regex(@"FIELD:\s+predictor\s+<Object>"), predictor.StandardOutput);
        Assert.Matches(new Regex(@"minReplicas\s+<integer>"), predictor.StandardOutput);
        Assert.Matches(new Regex(@"model\s+<Object>"), predictor.StandardOutput);

        // The KServe CRDs carry no descriptions; OpenShift's Route CRD does, and explain prints them.
        var expected = SharedCrdSchemas.Required.Source(Kinds.Route)!.At("properties", "spec", "properties", "tls", "description")!.GetValue<string>();
        var tls = await sim.KubectlAsync(null, "explain", "routes.spec.tls", "--api-version=route.openshift.io/v1");
        Assert.True(tls.ExitCode == 0, tls.StandardError);
        Assert.Contains(Words(expected), Words(tls.StandardOutput), StringComparison.Ordinal);

        var recursive = await sim.KubectlAsync(null, "explain", "isvc", "--recursive");
        Assert.True(recursive.ExitCode == 0, recursive.StandardError);
        Assert.Matches(new Regex(@"predictor\s+<Object>"), recursive.StandardOutput);
        Assert.Matches(new Regex(@"storageUri\s+<string>"), recursive.StandardOutput);
    }

    [Fact]
    public async Task The_v3_index_points_at_hashed_group_version_documents_and_v2_is_swagger_2()
    {
        var index = await sim.PythonAsync("GET", "/openapi/v3");
        Assert.Equal(200, index.Status);
        var url = index.Body!["paths"]!["apis/serving.kserve.io/v1beta1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.Matches(new Regex("^/openapi/v3/apis/serving.kserve.io/v1beta1\\?hash=[0-9A-F]{64}$"), url);
        var document = await sim.PythonAsync("GET", url.Split('?')[0]);
        Assert.Equal("3.0.0", document.Body!["openapi"]!.GetValue<string>());
        var isvc = document.Body["components"]!["schemas"]!["io.kserve.serving.v1beta1.InferenceService"]!;
        Assert.Equal("InferenceService", isvc["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", isvc["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!.GetValue<string>());

        var v2 = await sim.PythonAsync("GET", "/openapi/v2");
        Assert.Equal(200, v2.Status);
        Assert.Equal("2.0", v2.Body!["swagger"]!.GetValue<string>());
        var definition = v2.Body["definitions"]!["io.kserve.serving.v1beta1.InferenceService"]!;
        Assert.Equal("serving.kserve.io", definition["x-kubernetes-group-version-kind"]![0]!["group"]!.GetValue<string>());
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", definition["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(definition["properties"]!["spec"]!["properties"]!["predictor"]);
        Assert.DoesNotContain("\"nullable\"", v2.Body.ToJsonString(), StringComparison.Ordinal); // not a Swagger 2.0 keyword
        Assert.NotNull(v2.Body["definitions"]!["io.k8s.api.core.v1.Secret"]!["properties"]!["data"]);
    }

    private static string Words(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
