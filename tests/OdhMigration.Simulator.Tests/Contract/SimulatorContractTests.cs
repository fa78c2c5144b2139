using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Contract;

/// <summary>The contract tests against a fresh simulator per test.</summary>
public sealed class SimulatorContractTests : ClusterContractTests
{
    protected override async Task<ClusterEndpoint> CreateEndpointAsync()
    {
        const string snapshot = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: contract}
            """;
        var (host, kubeconfig, directory) = await SimulatorFixture.StartAsync(snapshot, new SimulatorOptions());
        return new ClusterEndpoint(kubeconfig, "contract", async () =>
        {
            await host.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        });
    }
}
