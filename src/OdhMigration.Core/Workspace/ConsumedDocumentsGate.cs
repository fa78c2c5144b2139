using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// Binds the plan's approval to the documents transform read. inventory.json (GitOps refusals, the uids in-place and
/// cleanup compare with) and export.json (the backups' sha256) are not re-planned by apply or cleanup, so they must
/// still be byte for byte what the approved plan was made from. A mismatch refuses the whole run (exit 3): those
/// documents speak for every item, so no item can be trusted.
/// </summary>
public static class ConsumedDocumentsGate
{
    /// <summary>The documents a plan must record, and that must be unchanged when it is carried out.</summary>
    public static readonly IReadOnlyList<string> Required = [WorkspaceLayout.InventoryFile, WorkspaceLayout.ExportFile];

    /// <summary>Documents checked only when the plan records them: capacity.json, read when transform planned waves.</summary>
    public static readonly IReadOnlyList<string> WhenRecorded = [WorkspaceLayout.CapacityFile];

    /// <param name="nothingDone">How the refusal ends, e.g. "nothing was applied".</param>
    public static async Task VerifyAsync(WorkspaceLayout layout, Plan plan, string nothingDone, CancellationToken cancellationToken)
    {
        foreach (var document in Required.Concat(WhenRecorded.Where(d => plan.Consumed.Any(c => c.Path == d))))
        {
            var recorded = plan.Consumed.LastOrDefault(c => c.Path == document);
            if (recorded is null)
            {
                throw new PreconditionException($"{WorkspaceLayout.PlanFile} records no sha256 of {document} (field 'consumed'), so its approval does not cover it; run transform again and have the new plan approved; {nothingDone}");
            }

            var path = layout.Absolute(document);
            if (!File.Exists(path))
            {
                throw new PreconditionException($"{document} is missing, but {WorkspaceLayout.PlanFile} was made from it (sha256 {recorded.Sha256}); {nothingDone}");
            }

            var actual = await Hashing.Sha256FileAsync(path, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, recorded.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PreconditionException($"{document} changed since the plan was made: sha256 {actual}, {WorkspaceLayout.PlanFile} recorded {recorded.Sha256}; run discover, export and transform again and have the new plan approved; {nothingDone}");
            }
        }
    }
}
