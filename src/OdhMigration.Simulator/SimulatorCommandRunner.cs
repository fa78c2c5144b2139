using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Simulator;

/// <summary>
/// What <c>odh-migrate simulator --snapshot &lt;file&gt; --kubeconfig-out &lt;path&gt; [--listen 127.0.0.1:0]
/// [--fault-rate 0.1] [--fault-kinds 429,drop,processed-then-dropped] [--fault-seed 7] [--latency-ms 5]</c> does: start
/// a simulator, write its kubeconfig, run until cancelled.
/// </summary>
public static class SimulatorCommandRunner
{
    public static Task<int> RunAsync(
        string snapshotPath,
        string kubeconfigOut,
        string listen = "127.0.0.1:0",
        double faultRate = 0,
        int latencyMs = 0,
        TextWriter? output = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(snapshotPath, kubeconfigOut, listen, new FaultSettings(Rate: faultRate, LatencyMs: latencyMs), output, cancellationToken);

    /// <summary>The same with every fault setting (kinds, such as processed-then-dropped, and the seed).</summary>
    public static async Task<int> RunAsync(
        string snapshotPath,
        string kubeconfigOut,
        string listen,
        FaultSettings faults,
        TextWriter? output = null,
        CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        SimulatorHost host;
        try
        {
            faults.Validate();
            var options = new SimulatorOptions
            {
                Listen = listen,
                Faults = faults,
            };
            host = await SimulatorHost.StartAsync(options, snapshotPath, cancellationToken);
        }
        catch (Exception ex) when (ex is ManifestFormatException or ArgumentException or FormatException)
        {
            await output.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.UsageError;
        }

        await using (host)
        {
            await host.WriteKubeconfigAsync(kubeconfigOut, cancellationToken: cancellationToken);
            await output.WriteLineAsync($"simulator listening on {host.BaseAddress} (snapshot {snapshotPath}, resourceVersion {host.Store.ResourceVersion})");
            await output.WriteLineAsync($"kubeconfig written to {kubeconfigOut}; admin endpoint {host.BaseAddress}simulator/faults; press Ctrl+C to stop");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.Stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // normal shutdown
            }
        }

        return ExitCodes.Success;
    }
}
