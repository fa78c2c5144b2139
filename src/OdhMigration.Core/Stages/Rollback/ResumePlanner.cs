using System.Globalization;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// The resume-original step: apply's stop-original (--stop-original, or a wave's stopOriginalsFirst) set
/// serving.kserve.io/stop="true" on a Serverless original it kept. Where cleanup did not delete that original (a recreated
/// one comes back from its backup with the annotation as exported), rollback puts the annotation back to what export
/// saw, on the object apply stopped only (its uid).
/// </summary>
internal static class ResumePlanner
{
    public const string StopAnnotation = "serving.kserve.io/stop";
    public const string StoppedValue = "true";

    /// <summary>The done stop-original ledger step of the item, the last one when a resumed apply recorded it twice.</summary>
    public static LedgerStep? Stopped(LedgerItem record) =>
        record.Steps.LastOrDefault(s => s.Action == LedgerActions.StopOriginal && s.State == LedgerStepStates.Done && s.Kind == "InferenceService");

    public static string Key(string? ns, string name) => $"{ns}/{name}";

    /// <summary>
    /// The step, or null when apply stopped nothing or the original is recreated from its backup anyway. A step whose
    /// original is gone, or is another object now (another uid), or whose backup cannot be trusted, is planned refused.
    /// </summary>
    public static RollbackStep? Plan(PlanItem item, LedgerItem record, RollbackInputs inputs, WorkspaceLayout layout, IReadOnlyCollection<PlannedDeletion> recreated, string id)
    {
        if (Stopped(record) is not { } stopped)
        {
            return null;
        }

        var ns = stopped.Namespace ?? item.Namespace;
        if (recreated.Any(r => r.Kind == stopped.Kind && r.Name == stopped.Name && (r.Namespace ?? item.Namespace) == ns))
        {
            return null; // cleanup (or apply) deleted it: recreated from its backup, annotation as exported
        }

        var target = $"InferenceService {ns}/{stopped.Name}";
        string? refusal = null;
        string? exported = null;
        var file = inputs.Export?.Items.FirstOrDefault(e => e.Namespace == item.Namespace && e.Name == item.Name)?.Files
            .FirstOrDefault(f => f.Kind == stopped.Kind && f.Name == stopped.Name && (f.Namespace ?? item.Namespace) == ns);
        if (file is null)
        {
            refusal = $"{target}: export recorded no backup of it, so the {StopAnnotation} value it had before apply is unknown; not resumed (set the annotation back by hand)";
        }
        else
        {
            try
            {
                exported = BackupFile.Verify(layout, file.Path, file.Sha256, stopped.Kind, ns, stopped.Name).Annotation(StopAnnotation);
            }
            catch (ItemFailedException ex)
            {
                refusal = $"{target}: {ex.Message}; not resumed";
            }
        }

        inputs.StoppedLive.TryGetValue(Key(ns, stopped.Name), out var live);
        if (refusal is null && live is null)
        {
            refusal = $"{target} is gone (apply stopped uid {stopped.Uid}; cleanup did not delete it): nothing to resume";
        }
        else if (refusal is null && live is not null && live.Uid() != stopped.Uid)
        {
            refusal = $"{target} is uid {live.Uid()}, not the original apply stopped (uid {stopped.Uid}): something else holds the name now; left alone";
        }

        return new RollbackStep
        {
            Id = id,
            Action = RollbackActions.ResumeOriginal,
            Kind = stopped.Kind,
            ApiVersion = stopped.ApiVersion ?? Kinds.InferenceService.ApiVersion,
            Namespace = ns,
            Name = stopped.Name,
            Uid = stopped.Uid,
            AnnotationKey = StopAnnotation,
            AnnotationValue = exported,
            AnnotationAppliedValue = StoppedValue,
            Refusal = refusal,
            Reason = $"stopped by apply (ledger step {stopped.Seq.ToString(CultureInfo.InvariantCulture)}, uid {stopped.Uid}); {StopAnnotation} back to {(exported is null ? "absent, as exported" : $"\"{exported}\", as exported")}",
        };
    }
}
