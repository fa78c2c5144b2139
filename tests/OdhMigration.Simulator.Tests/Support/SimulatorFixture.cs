using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>
/// An xunit fixture running one simulator (the <see cref="TestSnapshot.Basic"/> snapshot unless a subclass says
/// otherwise) with its kubeconfig in a temp folder. Use as IClassFixture, or <see cref="StartAsync"/> directly.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    private string? _directory;

    public SimulatorHost Host { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = null!;

    protected virtual string SnapshotYaml => TestSnapshot.Basic;

    protected virtual SimulatorOptions Options => new() { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(300) }, Crds = SharedCrdSchemas.OrNull };

    public static async Task<(SimulatorHost Host, string Kubeconfig, string Directory)> StartAsync(string snapshotYaml, SimulatorOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("odh-sim-test-").FullName;
        var host = await SimulatorHost.StartAsync(options, TestSnapshot.Parse(snapshotYaml));
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await host.WriteKubeconfigAsync(kubeconfig);
        return (host, kubeconfig, directory);
    }

    public async ValueTask InitializeAsync()
    {
        (Host, KubeconfigPath, _directory) = await StartAsync(SnapshotYaml, Options);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The simulator's request log as JSON (GET /simulator/requests).</summary>
    public async Task<JsonObject> RequestsAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        return (JsonObject)JsonNode.Parse(await http.GetStringAsync("simulator/requests", TestContext.Current.CancellationToken))!;
    }
}

/// <summary>Waits for an in-process condition (controllers are asynchronous, like real ones).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, string? what = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what ?? "condition"}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null) =>
        await WaitAsync<object>(async () => await probe() ? new object() : null, timeout, what);
}
