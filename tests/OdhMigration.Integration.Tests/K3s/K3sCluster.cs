using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using Testcontainers.K3s;

namespace OdhMigration.Integration.Tests.K3s;

/// <summary>
/// A real K3s API server (Testcontainers) with the ODH 2.x KServe, operator and OpenShift Route CRDs from shared/crds
/// installed. K3s runs no KServe controller: tests set InferenceService status themselves. Without a Docker engine it
/// starts nothing and <see cref="SkipIfUnavailable"/> reports the test as skipped (failed when Docker is required).
/// </summary>
public sealed class K3sCluster : IAsyncLifetime
{
    private const string Image = "rancher/k3s:v1.30.4-k3s1";
    private static readonly string[] CrdFolders = ["kserve/odh-stable-2.x", "odh-operator/stable-2.x"];
    private static readonly string[] CrdFiles = ["openshift/route.openshift.io_routes.yaml"];

    private K3sContainer? _container;
    private string? _directory;
    private Kubernetes? _client;

    public static bool DockerAvailable =>
        File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    public string KubeconfigPath { get; private set; } = string.Empty;

    public static void SkipIfUnavailable()
    {
        if (!DockerAvailable)
        {
            // A CI host that has Docker sets ODH_REQUIRE_DOCKER_TESTS=1: there a skip would hide a broken setup.
            Assert.False(Environment.GetEnvironmentVariable("ODH_REQUIRE_DOCKER_TESTS") == "1", "ODH_REQUIRE_DOCKER_TESTS=1 but no Docker engine was found for the K3s end-to-end test");
            Assert.Skip("Docker engine not available: the K3s end-to-end chain was not run");
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!DockerAvailable)
        {
            return;
        }

        _container = new K3sBuilder(Image).Build();
        await _container.StartAsync();
        _directory = Directory.CreateTempSubdirectory("odh-k3s-e2e-").FullName;
        KubeconfigPath = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(KubeconfigPath, await _container.GetKubeconfigAsync());
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        _client = new Kubernetes(config);
        _client.HttpClient.BaseAddress = new Uri(config.Host.TrimEnd('/') + "/");
        if (config.AccessToken is { Length: > 0 } token)
        {
            _client.HttpClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        await InstallCrdsAsync();
    }

    /// <summary>A raw request with the kubeconfig's credentials (CRDs and the status subresource are not in ICluster).</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _client!.HttpClient.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What KServe's controller would write: merge-patches the status subresource.</summary>
    public async Task SetStatusAsync(ResourceKind kind, string ns, string name, JsonObject status)
    {
        var (code, body) = await SendAsync(HttpMethod.Patch, kind.ItemPath(ns, name) + "/status", new JsonObject { ["status"] = status }, "application/merge-patch+json");
        Assert.True(code == 200, $"status of {kind.Kind} {ns}/{name}: {code} {body}");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task InstallCrdsAsync()
    {
        var root = Path.Combine(RepoPaths.Shared, "crds");
        var files = CrdFolders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*.yaml")).Concat(CrdFiles.Select(f => Path.Combine(root, f)));
        foreach (var file in files)
        {
            foreach (var doc in Yaml.ParseDocuments(await File.ReadAllTextAsync(file), file))
            {
                var (status, body) = await SendAsync(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", doc.Root);
                Assert.True(status is 201 or 409, $"{file}: {status} {body}");
            }
        }

        var deadline = DateTime.UtcNow.AddMinutes(2);
        foreach (var api in new[] { "apis/serving.kserve.io/v1beta1", "apis/serving.kserve.io/v1alpha1", "apis/route.openshift.io/v1", "apis/datasciencecluster.opendatahub.io/v1", "apis/dscinitialization.opendatahub.io/v1" })
        {
            while ((await SendAsync(HttpMethod.Get, api)).Status != 200)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{api} not served 2 minutes after its CRD was created");
                await Task.Delay(500);
            }
        }
    }
}
