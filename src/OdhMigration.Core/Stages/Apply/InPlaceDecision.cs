using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Stages.Apply;

public enum InPlaceStep
{
    /// <summary>The live ISVC is the exported original: delete it (uid precondition), then create the replacement.</summary>
    DeleteOriginal,

    /// <summary>The original is terminating (an earlier run deleted it): wait until it is gone, then create.</summary>
    WaitForOriginalGone,

    /// <summary>Nothing lives at the name: an earlier run deleted the original; create the replacement (or roll back).</summary>
    CreateReplacement,

    /// <summary>The replacement already exists (an earlier run created it): only finish the remaining steps.</summary>
    AlreadyReplaced,

    /// <summary>The live ISVC is neither the exported original nor ours: someone recreated it; touch nothing.</summary>
    Refuse,
}

/// <summary>
/// The resume decision for an in-place replacement, from the live object and what the ledger and the export recorded.
/// Pure, so every interrupted state has a unit test.
/// </summary>
public static class InPlaceDecision
{
    public static InPlaceStep Decide(JsonObject? live, string? exportedUid, string? ledgerOriginalUid, string? ledgerReplacementUid, string fieldManager)
    {
        if (live is null)
        {
            return InPlaceStep.CreateReplacement;
        }

        var uid = live.Uid();
        if (uid is not null && uid == ledgerReplacementUid)
        {
            return InPlaceStep.AlreadyReplaced;
        }

        if (live.At("metadata", "deletionTimestamp") is not null)
        {
            return InPlaceStep.WaitForOriginalGone;
        }

        if (uid is not null && (uid == exportedUid || uid == ledgerOriginalUid))
        {
            return InPlaceStep.DeleteOriginal;
        }

        // The ledger may have lost the replacement's uid (killed between create and record): recognise our own object.
        if (DeploymentMode.Normalise(live.Annotation(DeploymentMode.AnnotationKey)) == DeploymentMode.RawDeployment && Ownership.IsManagedBy(live, fieldManager))
        {
            return InPlaceStep.AlreadyReplaced;
        }

        // No uid on record to compare with (an export without uids): the live object is the original only if it is not ours.
        return exportedUid is null && ledgerOriginalUid is null ? InPlaceStep.DeleteOriginal : InPlaceStep.Refuse;
    }
}
