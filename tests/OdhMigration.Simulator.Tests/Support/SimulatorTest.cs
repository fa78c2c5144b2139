using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>Base for simulator-only tests: a fresh simulator per test (fast: no shared state between tests).</summary>
public abstract class SimulatorTest : IAsyncLifetime
{
    private string? _directory;

    protected SimulatorHost Sim { get; private set; } = null!;

    protected ClusterEndpoint Endpoint { get; private set; } = null!;

    protected virtual string SnapshotYaml => TestSnapshot.Basic;

    protected virtual SimulatorOptions Options => new() { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) }, Crds = SharedCrdSchemas.OrNull };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        string kubeconfig;
        (Sim, kubeconfig, _directory) = await SimulatorFixture.StartAsync(SnapshotYaml, Options);
        Endpoint = new ClusterEndpoint(kubeconfig, "proj", () => ValueTask.CompletedTask);
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        await Sim.DisposeAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<JsonNode> AdminAsync(string path, JsonNode? body = null)
    {
        var (status, response) = await Endpoint.SendAsync(body is null ? HttpMethod.Get : HttpMethod.Post, path, body);
        Assert.Equal(200, status);
        return response!;
    }

    protected static JsonNode ToNode(object response) => response is JsonElement e ? JsonNode.Parse(e.GetRawText())! : (JsonNode)response;
}
