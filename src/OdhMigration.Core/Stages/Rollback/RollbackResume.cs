using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// A real run of an approved plan that an earlier run of the same plan already began (killed, or run again): the DSC/DSCI
/// that run's own restore patched are planned from as they were before that patch (the ledger records them with the
/// intent), not as restored. Otherwise the plan would move under the approval: the restored DSC hosts Serverless/ModelMesh
/// again, so items refused for hosting would be planned, and a forced restore's drift would vanish; the resumed run would
/// be refused (exit 3) for a change it made itself. Only an object whose live spec is exactly what the restore leaves is
/// taken back: any other change (someone's, after the kill) is planned from as it is and moves the sha256 as before.
/// </summary>
internal static class RollbackResume
{
    public static async Task<RollbackInputs> AsBeforeOwnRestoresAsync(RollbackInputs inputs, WorkspaceLayout layout, string approvedSha256, CancellationToken ct)
    {
        if (!File.Exists(layout.RollbackLedger))
        {
            return inputs;
        }

        var (ledger, _) = await WorkspaceDocuments.ReadAsync(layout, layout.RollbackLedger, RollbackLedger.DocumentKind, RollbackLedger.CurrentSchemaVersion, RollbackLedgerJsonContext.Default.RollbackLedger, ct).ConfigureAwait(false);
        if (!string.Equals(ledger.PlanSha256, approvedSha256, StringComparison.Ordinal))
        {
            return inputs;
        }

        var sources = DscRestoreSources.From(inputs.Finalize);
        var before = new Dictionary<(string Kind, string Name), JsonObject>();
        foreach (var recorded in (ledger.Steps ?? []).Where(s => s?.Before is not null && s.State is LedgerStepStates.Intent or LedgerStepStates.Done).Select(s => s.Before!))
        {
            var (kind, name) = (recorded.Kind() ?? "", recorded.Name());
            var source = sources.FirstOrDefault(s => s.Kind == kind && s.Name == name);
            var live = inputs.FinalizedLive.FirstOrDefault(o => o.Kind() == kind && o.Name() == name);
            if (source is not null && live is not null && IsRestored(layout, source, live))
            {
                before[(kind, name)] = recorded;
            }
        }

        if (before.Count == 0)
        {
            return inputs;
        }

        JsonObject? Planned(JsonObject? live) => live is not null && before.TryGetValue((live.Kind() ?? "", live.Name()), out var was) ? was : live;
        return inputs with
        {
            DataScienceCluster = Planned(inputs.DataScienceCluster),
            FinalizedLive = inputs.FinalizedLive.Select(o => Planned(o)!).ToList(),
        };
    }

    /// <summary>The live spec is the verified backup's: what this rollback's restore leaves (an unverifiable backup never is).</summary>
    private static bool IsRestored(WorkspaceLayout layout, DscRestoreSource source, JsonObject live)
    {
        try
        {
            return DscRestoreCheck.AlreadyRestored(DscRestoreCheck.VerifiedBackup(layout, source), live);
        }
        catch (ItemFailedException)
        {
            return false;
        }
    }
}
