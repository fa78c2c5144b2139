using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// Carries out one rollback step, idempotently: every write is recorded in rollback-ledger.json before it happens,
/// a replacement is deleted only when its live uid is the one apply recorded (and after it is saved to disk), and an
/// original is recreated only where nothing holds its name but what this rollback itself created.
/// </summary>
internal sealed class RollbackStepRunner(ICluster cluster, RollbackLedgerStore ledger, RollbackOptions options, WorkspaceLayout layout, IStageLog log)
{
    private const string ServiceAccountUidAnnotation = "kubernetes.io/service-account.uid";

    private WriteOptions Write => new(false, options.FieldManager);

    public async Task<RollbackStepOutcome> RunAsync(RollbackStep step, CancellationToken ct)
    {
        if (ledger.IsDone(step.Id))
        {
            return Outcome(step, RollbackOutcomes.AlreadyDone, "done by an earlier run", ledger.Find(step.Id)!.Uid);
        }

        try
        {
            return step.Action switch
            {
                RollbackActions.DeleteReplacement => await DeleteReplacementAsync(step, ct).ConfigureAwait(false),
                RollbackActions.RecreateOriginal => await RecreateOriginalAsync(step, ct).ConfigureAwait(false),
                RollbackActions.RestoreLabel => await RestoreLabelAsync(step, ct).ConfigureAwait(false),
                RollbackActions.RestoreCluster => await RestoreClusterAsync(step, ct).ConfigureAwait(false),
                RollbackActions.SetOwner => await SetOwnerAsync(step, ct).ConfigureAwait(false),
                RollbackActions.ResumeOriginal => await ResumeOriginalAsync(step, ct).ConfigureAwait(false),
                _ => throw new ItemFailedException($"unknown rollback action '{step.Action}'"),
            };
        }
        catch (Exception ex) when (ex is ItemFailedException or ClusterException or HttpRequestException or IOException or WorkspacePathException or ManifestFormatException)
        {
            var message = PlainErrors.Describe(ex);
            await ledger.FailedAsync(step.Id, message, CancellationToken.None).ConfigureAwait(false);
            log.Error($"rollback {Target(step)}: {message}");
            return Outcome(step, RollbackOutcomes.Failed, message, null);
        }
    }

    private async Task<RollbackStepOutcome> DeleteReplacementAsync(RollbackStep step, CancellationToken ct)
    {
        var kind = KindOf(step);
        var live = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false);
        if (live is null)
        {
            await ledger.DoneAsync(step.Id, step.Uid, ct).ConfigureAwait(false);
            return Outcome(step, RollbackOutcomes.AlreadyDone, "already gone", step.Uid);
        }

        if (live.Uid() != step.Uid)
        {
            var reason = $"uid {live.Uid()} is not the replacement apply recorded (uid {step.Uid}): something else holds the name now; left alone";
            log.Warn($"rollback {Target(step)}: {reason}");
            return Outcome(step, RollbackOutcomes.Left, reason, live.Uid());
        }

        if (live.At("metadata", "deletionTimestamp") is null)
        {
            await SaveReplacementAsync(step, live, ct).ConfigureAwait(false);
            await ledger.IntentAsync(step.Id, ct).ConfigureAwait(false);
            await cluster.DeleteAsync(kind, step.Namespace, step.Name, new DeleteOptions(PreconditionUid: step.Uid), ct).ConfigureAwait(false);
        }

        if (await DeletionWait.UntilGoneAsync(cluster, kind, step.Namespace, step.Name, o => o.Uid() == step.Uid, options.Timeout, options.PollInterval, ct).ConfigureAwait(false) is not null)
        {
            throw new ItemFailedException($"{Target(step)} is still terminating after {options.Timeout.TotalSeconds:0}s; run rollback again once it is gone");
        }

        await ledger.DoneAsync(step.Id, step.Uid, ct).ConfigureAwait(false);
        log.Info($"deleted replacement {Target(step)} (uid {step.Uid})");
        return Outcome(step, RollbackOutcomes.Done, null, step.Uid);
    }

    /// <summary>The replacement goes to disk before it is deleted; a Secret without its data (never on disk).</summary>
    private async Task SaveReplacementAsync(RollbackStep step, JsonObject live, CancellationToken ct)
    {
        var copy = live.DeepCopy();
        ServerFields.StripForBackup(copy);
        if (step.Kind == "Secret")
        {
            copy.Remove("data");
            copy.Remove("stringData");
        }

        var folder = layout.RollbackBackups(step.Namespace ?? "");
        var path = layout.ObjectFile(folder, step.Kind, step.Name, step.Namespace, ManifestFileNames.For(step.Kind, step.Name, ManifestFileNames.IsTokenSecret(live)));
        Directory.CreateDirectory(folder);
        await WorkspaceDocuments.WriteTextAtomicAsync(path, Yaml.Serialize(copy), cancellationToken: ct).ConfigureAwait(false);
    }

    private async Task<RollbackStepOutcome> RecreateOriginalAsync(RollbackStep step, CancellationToken ct)
    {
        var kind = KindOf(step);
        var backup = BackupFile.Verify(layout, step.BackupFile, step.BackupSha256, step.Kind, step.Namespace, step.Name);
        var live = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false);
        if (live is not null)
        {
            return await ExistingAsync(step, live, ct).ConfigureAwait(false);
        }

        var original = backup.DeepCopy();
        ServerFields.StripForNewObject(original);
        if (ManifestFileNames.IsTokenSecret(original))
        {
            // The token controller deletes a token Secret naming another service-account uid (the account was
            // recreated too); without the uid it binds the Secret to the live account and fills in the token.
            original.Metadata().Obj("annotations").Remove(ServiceAccountUidAnnotation);
            original.Remove("data");
        }
        await ledger.IntentAsync(step.Id, ct).ConfigureAwait(false);
        JsonObject created;
        try
        {
            created = await cluster.CreateAsync(original, Write, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (ex.IsConflict)
        {
            var existing = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false)
                ?? throw new ItemFailedException($"creating {Target(step)} conflicted, yet nothing holds the name: {ex.Message}", ex);
            return await ExistingAsync(step, existing, ct).ConfigureAwait(false);
        }

        await ledger.DoneAsync(step.Id, created.Uid(), ct).ConfigureAwait(false);
        log.Info($"recreated original {Target(step)} from {step.BackupFile}");
        return Outcome(step, RollbackOutcomes.Done, null, created.Uid());
    }

    /// <summary>The name is taken: by what this rollback created (a killed run), or by something it must leave alone.</summary>
    private async Task<RollbackStepOutcome> ExistingAsync(RollbackStep step, JsonObject live, CancellationToken ct)
    {
        var recorded = ledger.Find(step.Id);
        if (recorded?.Uid == live.Uid() || (recorded?.State == LedgerStepStates.Intent && Ownership.IsManagedBy(live, options.FieldManager)))
        {
            await ledger.DoneAsync(step.Id, live.Uid(), ct).ConfigureAwait(false);
            return Outcome(step, RollbackOutcomes.Done, "created by an earlier, interrupted run", live.Uid());
        }

        var reason = $"{step.Kind} {step.Namespace}/{step.Name} already exists (uid {live.Uid()}) and was not created by this rollback; left as it is";
        log.Warn($"rollback: {reason}");
        return Outcome(step, RollbackOutcomes.Left, reason, live.Uid());
    }

    private async Task<RollbackStepOutcome> RestoreLabelAsync(RollbackStep step, CancellationToken ct)
    {
        var kind = KindOf(step);
        var key = step.LabelKey ?? throw new ItemFailedException("restore-label step names no label");
        var live = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false)
            ?? throw new ItemFailedException($"{Target(step)} not found; label {key} cannot be restored");
        if (await SettledEntryAsync(step, live, $"label {key}", live.Label(key), step.LabelValue, step.LabelAppliedValue, ct).ConfigureAwait(false) is { } settled)
        {
            return settled;
        }

        await ledger.IntentAsync(step.Id, ct).ConfigureAwait(false);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = step.LabelValue } } };
        var patched = await cluster.PatchAsync(kind, step.Namespace, step.Name, PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
        await ledger.DoneAsync(step.Id, patched.Uid(), ct).ConfigureAwait(false);
        log.Info($"restored label {key}={step.LabelValue ?? "(removed)"} on {Target(step)}");
        return Outcome(step, RollbackOutcomes.Done, null, patched.Uid());
    }

    /// <summary>
    /// DSC/DSCI: their spec from the backup dsc-finalize took, as a merge patch (the object itself stays). A step the
    /// plan refused (backup not the recorded one, or drift without --force-dsc-restore) is reported, never carried out;
    /// the backup is checked again against finalize.json's sha256 right before the patch.
    /// </summary>
    private async Task<RollbackStepOutcome> RestoreClusterAsync(RollbackStep step, CancellationToken ct)
    {
        if (step.Refusal is not null)
        {
            log.Error($"rollback {Target(step)} refused: {step.Refusal}");
            return Outcome(step, RollbackOutcomes.Refused, step.Refusal, null);
        }

        var kind = KindOf(step);
        var backup = DscRestoreCheck.VerifiedBackup(layout, step.BackupFile ?? "", step.BackupSha256, step.Kind, step.Name);
        var live = await cluster.GetAsync(kind, null, step.Name, ct).ConfigureAwait(false)
            ?? throw new ItemFailedException($"{step.Kind} {step.Name} not found; nothing to restore");
        if (DscRestoreCheck.RestorePatch(backup, live) is not { } patch)
        {
            await ledger.DoneAsync(step.Id, live.Uid(), ct).ConfigureAwait(false);
            return Outcome(step, RollbackOutcomes.AlreadyDone, $"spec already as in {step.BackupFile}", live.Uid());
        }

        await ledger.IntentAsync(step.Id, live, ct).ConfigureAwait(false);
        var patched = await cluster.PatchAsync(kind, null, step.Name, PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
        await ledger.DoneAsync(step.Id, patched.Uid(), ct).ConfigureAwait(false);
        log.Info($"restored {step.Kind} {step.Name} spec from {step.BackupFile} (uid {live.Uid()})");
        return Outcome(step, RollbackOutcomes.Done, step.Drift is { Count: > 0 } drift ? $"{RollbackOptions.ForceDscRestoreOption}: reverted changes made since dsc-finalize ({string.Join("; ", drift)})" : null, patched.Uid());
    }

    /// <summary>
    /// Points a recreated original's ownerReference at its recreated owner (the old owner uid is gone). Only objects this
    /// rollback recreated (the uids its ledger recorded for both) are touched; a reference already there (a run killed
    /// after the patch) counts as done.
    /// </summary>
    private async Task<RollbackStepOutcome> SetOwnerAsync(RollbackStep step, CancellationToken ct)
    {
        var owner = step.Owner ?? throw new ItemFailedException("set-owner step names no owner");
        var ownerUid = ledger.Find(owner.OwnerStep) is { State: LedgerStepStates.Done, Uid: { } u } ? u : null;
        var targetUid = ledger.Find(owner.TargetStep) is { State: LedgerStepStates.Done, Uid: { } t } ? t : null;
        if (ownerUid is null || targetUid is null)
        {
            var reason = $"{owner.Kind} {owner.Name} or {step.Kind} {step.Name} was not recreated by this rollback; ownerReference not set";
            log.Warn($"rollback {Target(step)}: {reason}");
            return Outcome(step, RollbackOutcomes.Left, reason, null);
        }

        var kind = KindOf(step);
        var live = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false);
        if (live is null || live.Uid() != targetUid)
        {
            throw new ItemFailedException($"{Target(step)} is {(live is null ? "gone" : $"uid {live.Uid()}")}, not the object this rollback recreated (uid {targetUid}); ownerReference not set");
        }

        if (live.IsOwnedBy(ownerUid))
        {
            await ledger.DoneAsync(step.Id, live.Uid(), ct).ConfigureAwait(false);
            return Outcome(step, RollbackOutcomes.AlreadyDone, $"already owned by {owner.Kind} {owner.Name} (uid {ownerUid})", live.Uid());
        }

        var reference = new JsonObject { ["apiVersion"] = owner.ApiVersion, ["kind"] = owner.Kind, ["name"] = owner.Name, ["uid"] = ownerUid };
        if (owner.Controller is { } controller)
        {
            reference["controller"] = controller;
        }

        if (owner.BlockOwnerDeletion is { } block)
        {
            reference["blockOwnerDeletion"] = block;
        }

        // Never a reference to the old uid: its owner is gone, and the garbage collector would delete the object.
        var references = new JsonArray(live.OwnerReferences().Where(r => r.Str("uid") != owner.OriginalUid).Select(r => (JsonNode)r.DeepCopy()).Append(reference).ToArray());
        await ledger.IntentAsync(step.Id, ct).ConfigureAwait(false);
        // The uid in the body: should the name be taken by another object between the get and the patch, the API server
        // refuses (metadata.uid is immutable) instead of patching it.
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = targetUid, ["ownerReferences"] = references } };
        var patched = await cluster.PatchAsync(kind, step.Namespace, step.Name, PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
        await ledger.DoneAsync(step.Id, patched.Uid(), ct).ConfigureAwait(false);
        log.Info($"set ownerReference of {Target(step)} to {owner.Kind} {owner.Name} (uid {ownerUid})");
        return Outcome(step, RollbackOutcomes.Done, null, patched.Uid());
    }

    /// <summary>
    /// Puts serving.kserve.io/stop back to its exported value on the original apply stopped, and on no other object: the
    /// live uid must be the one apply's ledger recorded, and the merge patch carries it (a different object under the
    /// name by then makes the API server refuse it). A value already restored is done; one changed since is left alone.
    /// </summary>
    private async Task<RollbackStepOutcome> ResumeOriginalAsync(RollbackStep step, CancellationToken ct)
    {
        if (step.Refusal is not null)
        {
            log.Error($"rollback {Target(step)} refused: {step.Refusal}");
            return Outcome(step, RollbackOutcomes.Refused, step.Refusal, null);
        }

        var kind = KindOf(step);
        var key = step.AnnotationKey ?? throw new ItemFailedException("resume-original step names no annotation");
        var live = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false);
        if (live is null || NotStopped(step, live) is not null)
        {
            var refusal = NotStopped(step, live)!;
            log.Error($"rollback {Target(step)} refused: {refusal}");
            return Outcome(step, RollbackOutcomes.Refused, refusal, live?.Uid());
        }

        if (await SettledEntryAsync(step, live, $"annotation {key}", live.Annotation(key), step.AnnotationValue, step.AnnotationAppliedValue, ct).ConfigureAwait(false) is { } settled)
        {
            return settled;
        }

        await ledger.IntentAsync(step.Id, ct).ConfigureAwait(false);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = step.Uid, ["annotations"] = new JsonObject { [key] = step.AnnotationValue } } };
        JsonObject patched;
        try
        {
            patched = await cluster.PatchAsync(kind, step.Namespace, step.Name, PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (ex.StatusCode is 409 or 422 or 404)
        {
            // Refused by the API server: another object took the name since the get (its uid is not the one in the body).
            var now = await cluster.GetAsync(kind, step.Namespace, step.Name, ct).ConfigureAwait(false);
            if (NotStopped(step, now) is { } changed)
            {
                log.Error($"rollback {Target(step)} refused: {changed}");
                return Outcome(step, RollbackOutcomes.Refused, changed, now?.Uid());
            }

            throw;
        }

        await ledger.DoneAsync(step.Id, patched.Uid(), ct).ConfigureAwait(false);
        log.Info($"resumed original {Target(step)} (uid {step.Uid}): {key} {(step.AnnotationValue is null ? "removed" : "back to " + step.AnnotationValue)}");
        return Outcome(step, RollbackOutcomes.Done, null, patched.Uid());
    }

    /// <summary>
    /// restore-label and resume-original: a label or annotation apply changed goes back only while it still holds the
    /// value apply set. Already back is done (a resumed run); any other value was changed by someone since and is left
    /// alone. Null when the entry is to be patched.
    /// </summary>
    private async Task<RollbackStepOutcome?> SettledEntryAsync(RollbackStep step, JsonObject live, string entry, string? current, string? restored, string? applied, CancellationToken ct)
    {
        if (current == restored)
        {
            await ledger.DoneAsync(step.Id, live.Uid(), ct).ConfigureAwait(false);
            return Outcome(step, RollbackOutcomes.AlreadyDone, $"{entry} already {restored ?? "(absent)"}", live.Uid());
        }

        if (current != applied)
        {
            var reason = $"{entry} is {current ?? "(absent)"}, not {applied ?? "(absent)"} as apply set it: changed since; left alone";
            log.Warn($"rollback {Target(step)}: {reason}");
            return Outcome(step, RollbackOutcomes.Left, reason, live.Uid());
        }

        return null;
    }

    /// <summary>Why <paramref name="live"/> is not the original apply stopped (gone, or another uid), or null when it is.</summary>
    private static string? NotStopped(RollbackStep step, JsonObject? live) => live is null
        ? $"{Target(step)} is gone (apply stopped uid {step.Uid}): nothing to resume"
        : live.Uid() != step.Uid
            ? $"{Target(step)} is uid {live.Uid()}, not the original apply stopped (uid {step.Uid}): something else holds the name now; left alone"
            : null;

    private static ResourceKind KindOf(RollbackStep step) =>
        Kinds.Find(step.ApiVersion, step.Kind) ?? throw new ItemFailedException($"unknown kind {step.Kind} ({step.ApiVersion})");

    private static string Target(RollbackStep step) => $"{step.Kind} {(step.Namespace is null ? "" : step.Namespace + "/")}{step.Name}";

    public static RollbackStepOutcome Outcome(RollbackStep step, string outcome, string? reason, string? uid) =>
        new(step.Id, step.Action, step.Kind, step.Namespace, step.Name, outcome, reason, uid);
}
