using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

public sealed class DiscoveryTests : SimulatorTest
{
    [Fact]
    public async Task Every_kind_is_discoverable_with_its_short_names()
    {
        foreach (var kind in Kinds.All)
        {
            var path = kind.Group.Length == 0 ? $"api/{kind.Version}" : $"apis/{kind.Group}/{kind.Version}";
            var (status, list) = await Endpoint.SendAsync(HttpMethod.Get, path);
            Assert.Equal(200, status);
            var resource = list!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == kind.Plural)!;
            Assert.Equal(kind.Kind, resource["kind"]!.GetValue<string>());
            Assert.Equal(kind.Namespaced, resource["namespaced"]!.GetValue<bool>());
            foreach (var shortName in kind.ShortNames)
            {
                Assert.Contains(resource["shortNames"]!.AsArray(), s => s!.GetValue<string>() == shortName);
            }
        }

        var (_, groups) = await Endpoint.SendAsync(HttpMethod.Get, "apis");
        Assert.Contains(groups!["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "serving.kserve.io" && g["versions"]!.AsArray().Count == 2);
        var (_, version) = await Endpoint.SendAsync(HttpMethod.Get, "version");
        Assert.Equal("1", version!["major"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_resources_and_openapi_documents_are_404_Status_and_openapi_v2_is_swagger()
    {
        var (status, body) = await Endpoint.SendAsync(HttpMethod.Get, "apis/serving.kserve.io/v1beta1/namespaces/proj/nothings");
        Assert.Equal(404, status);
        Assert.Equal("NotFound", body!["reason"]!.GetValue<string>());
        var (unknownGroup, notFound) = await Endpoint.SendAsync(HttpMethod.Get, "openapi/v3/apis/nothing.example.com/v1");
        Assert.Equal(404, unknownGroup);
        Assert.Equal("NotFound", notFound!["reason"]!.GetValue<string>());
        var (openapi, swagger) = await Endpoint.SendAsync(HttpMethod.Get, "openapi/v2");
        Assert.Equal(200, openapi);
        Assert.Equal("2.0", swagger!["swagger"]!.GetValue<string>());
        var (v3, root) = await Endpoint.SendAsync(HttpMethod.Get, "openapi/v3");
        Assert.Equal(200, v3);
        Assert.NotNull(root!["paths"]!["apis/serving.kserve.io/v1beta1"]);
    }

    [Fact]
    public async Task Kubectl_table_requests_get_a_Table()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await Endpoint.Http.SendAsync(request, Ct);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal(2, table["rows"]!.AsArray().Count);
    }
}
