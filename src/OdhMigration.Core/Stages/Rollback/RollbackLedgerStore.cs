using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// rollback-ledger.json: each step recorded as intent before it touches the cluster and as done or failed after, the
/// file rewritten atomically each time (a rollback has tens of steps, not thousands). A run of another rollback plan
/// starts afresh.
/// </summary>
internal sealed class RollbackLedgerStore(RollbackLedger ledger, string path, TimeProvider clock)
{
    public static async Task<RollbackLedgerStore> OpenAsync(WorkspaceLayout layout, string planSha256, TimeProvider clock, CancellationToken ct)
    {
        RollbackLedger? existing = null;
        if (File.Exists(layout.RollbackLedger))
        {
            (existing, _) = await WorkspaceDocuments.ReadAsync(layout, layout.RollbackLedger, RollbackLedger.DocumentKind, RollbackLedger.CurrentSchemaVersion, RollbackLedgerJsonContext.Default.RollbackLedger, ct).ConfigureAwait(false);
        }

        var ledger = existing is not null && existing.PlanSha256 == planSha256 ? existing : new RollbackLedger { PlanSha256 = planSha256 };
        return new RollbackLedgerStore(ledger, layout.RollbackLedger, clock);
    }

    public RollbackLedgerStep? Find(string id) => ledger.Steps.FirstOrDefault(s => s.Id == id);

    public bool IsDone(string id) => Find(id)?.State == LedgerStepStates.Done;

    public Task IntentAsync(string id, CancellationToken ct) => RecordAsync(id, LedgerStepStates.Intent, null, null, ct);

    /// <summary>The intent of a DSC/DSCI restore, with the object as it is before the patch (what a resumed run plans from).</summary>
    public Task IntentAsync(string id, JsonObject before, CancellationToken ct) => RecordAsync(id, LedgerStepStates.Intent, null, null, ct, new JsonObject
    {
        ["apiVersion"] = before.ApiVersion(),
        ["kind"] = before.Kind(),
        ["metadata"] = new JsonObject { ["name"] = before.Name() },
        ["spec"] = before["spec"]?.DeepClone(),
    });

    public Task DoneAsync(string id, string? uid, CancellationToken ct) => RecordAsync(id, LedgerStepStates.Done, uid, null, ct);

    public Task FailedAsync(string id, string error, CancellationToken ct) => RecordAsync(id, LedgerStepStates.Failed, null, error, ct);

    private async Task RecordAsync(string id, string state, string? uid, string? error, CancellationToken ct, JsonObject? before = null)
    {
        var step = Find(id);
        if (step is null)
        {
            step = new RollbackLedgerStep { Id = id };
            ledger.Steps.Add(step);
        }

        step.State = state;
        step.Uid = uid ?? step.Uid;
        step.Error = error;
        step.Before = before ?? step.Before;
        step.At = clock.GetUtcNow();
        ledger.UpdatedAt = step.At;
        await WorkspaceDocuments.WriteAsync(path, ledger, RollbackLedgerJsonContext.Default.RollbackLedger, ct).ConfigureAwait(false);
    }
}
