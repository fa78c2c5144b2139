using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Stages.Validate;

/// <summary>
/// Waits, by watch, until an ISVC is serving (Ready, URL, RawDeployment) or the deadline passes. A watch that ends or
/// breaks (API server timeouts, dropped connections) is followed by a fresh read and a new watch.
/// </summary>
public sealed class ReadinessWaiter(ICluster cluster, TimeSpan pollInterval)
{
    /// <summary>The last state seen: serving, or whatever it was when the deadline passed; null when it does not exist.</summary>
    public async Task<JsonObject?> WaitAsync(string ns, string name, CancellationToken deadline)
    {
        JsonObject? last = null;
        try
        {
            while (true)
            {
                last = await cluster.GetAsync(Kinds.InferenceService, ns, name, deadline).ConfigureAwait(false);
                if (last is null || IsvcDiagnosis.IsServing(last))
                {
                    return last;
                }

                try
                {
                    await foreach (var change in cluster.WatchAsync(Kinds.InferenceService, ns, $"metadata.name={name}", last.At("metadata").Str("resourceVersion"), deadline).ConfigureAwait(false))
                    {
                        if (change.Type is "ADDED" or "MODIFIED" && change.Object.Name() == name)
                        {
                            last = change.Object;
                            if (IsvcDiagnosis.IsServing(last))
                            {
                                return last;
                            }
                        }
                        else if (change.Type == "DELETED" && change.Object.Name() == name)
                        {
                            return null;
                        }
                    }
                }
                catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException && !deadline.IsCancellationRequested)
                {
                    // 410 Gone (resourceVersion too old), a dropped stream: read again and re-watch.
                }

                await Task.Delay(pollInterval, deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return last;
        }
    }
}
