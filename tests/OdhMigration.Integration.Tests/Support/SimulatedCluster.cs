using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>A simulator seeded from a snapshot, its kubeconfig on disk, and a LiveCluster built from that kubeconfig.</summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private SimulatedCluster(SimulatorHost host, string directory, LiveCluster cluster)
    {
        Host = host;
        Directory = directory;
        Cluster = cluster;
    }

    public SimulatorHost Host { get; }
    public string Directory { get; }
    public string Kubeconfig => Path.Combine(Directory, "kubeconfig");
    public LiveCluster Cluster { get; }

    public static Task<SimulatedCluster> StartSampleAsync(string sample, SimulatorOptions? options = null) =>
        StartAsync(SnapshotLoader.Load(Path.Combine(RepoPaths.Root, "samples", sample)), options);

    public static async Task<SimulatedCluster> StartAsync(IEnumerable<SnapshotObject> snapshot, SimulatorOptions? options = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("odh-int-").FullName;
        // The real CRD schemas from ../shared/crds, so the tools meet the pruning and validation a cluster applies.
        options ??= new SimulatorOptions { KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) } };
        var host = await SimulatorHost.StartAsync(options with { Crds = options.Crds ?? OdhMigration.Simulator.Tests.Support.SharedCrdSchemas.OrNull }, snapshot);
        await host.WriteKubeconfigAsync(Path.Combine(directory, "kubeconfig"));
        var cluster = LiveCluster.Connect(new LiveClusterConnection(Path.Combine(directory, "kubeconfig"), null));
        return new SimulatedCluster(host, directory, cluster);
    }

    public void Faults(FaultSettings settings) => Host.Faults.Settings = settings;

    public long RequestCount => Host.Requests.Counters.Values.Sum();

    public async ValueTask DisposeAsync()
    {
        Cluster.Dispose();
        await Host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
