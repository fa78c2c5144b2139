using System.Text.Json.Nodes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// What the rollback plan is built from: the workspace documents (those present) and the DataScienceCluster as it is
/// now (null when there is none or it may not be read), which decides whether the cluster can still host an original.
/// </summary>
public sealed record RollbackInputs(
    Plan Plan,
    Ledger? Ledger,
    ExportReport? Export,
    CleanupReport? Cleanup,
    FinalizeReport? Finalize,
    List<ConsumedDocument> Consumed,
    JsonObject? DataScienceCluster)
{
    /// <summary>The DSC/DSCI dsc-finalize changed, as they are now (those that exist): compared with what it left.</summary>
    public IReadOnlyList<JsonObject> FinalizedLive { get; init; } = [];

    /// <summary>
    /// The originals apply stopped (a done stop-original ledger step) as they are now, by namespace/name: null where
    /// none holds the name. Decides whether the resume-original step may patch them (the uid apply stopped).
    /// </summary>
    public IReadOnlyDictionary<string, JsonObject?> StoppedLive { get; init; } = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);

    /// <summary>--force-dsc-restore: restore a DSC/DSCI changed since dsc-finalize anyway (the plan says so).</summary>
    public bool ForceDscRestore { get; init; }
}
