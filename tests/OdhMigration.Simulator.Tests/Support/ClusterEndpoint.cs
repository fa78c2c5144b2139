using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>
/// A Kubernetes API endpoint a contract test talks to (the simulator or a real K3s): a kubeconfig, a typed client,
/// a raw HttpClient for pagination/watch, and a namespace the test may use freely.
/// </summary>
public sealed class ClusterEndpoint : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    public ClusterEndpoint(string kubeconfigPath, string ns, Func<ValueTask> dispose)
    {
        KubeconfigPath = kubeconfigPath;
        Namespace = ns;
        _dispose = dispose;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        Client = new Kubernetes(config);

        // The client's own HttpClient carries what the kubeconfig says about TLS: the CA and, for K3s, the client
        // certificate. A bare handler would be anonymous there (401 on everything).
        Http = Client.HttpClient;
        Http.BaseAddress = new Uri(config.Host.TrimEnd('/') + "/");
        if (config.AccessToken is { Length: > 0 } token)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public string KubeconfigPath { get; }

    public string Namespace { get; }

    public Kubernetes Client { get; }

    public HttpClient Http { get; }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await _dispose();
    }
}
