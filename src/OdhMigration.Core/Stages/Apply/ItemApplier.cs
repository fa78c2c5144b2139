using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>
/// Applies one plan item: secret copies, then the planned objects in order (service account, role, binding,
/// runtime, ISVC, token Secret), then ownerReferences from the auth objects to the new ISVC. in-place deletes the
/// original first and recreates it from its backup when the replacement cannot be created. Every write is a
/// ledger step recorded before it happens.
/// </summary>
internal sealed class ItemApplier(ICluster cluster, LedgerStore ledger, ApplyOptions options, WorkspaceLayout layout, IStageLog log, ICluster? critical = null)
{
    /// <summary>The same steps over the patient cluster (see <see cref="ApplyOptions.CriticalRetry"/>), for the in-place critical section.</summary>
    private ItemApplier Critical => critical is null ? this : new ItemApplier(critical, ledger, options, layout, log) { Backups = Backups, StopOriginals = StopOriginals };

    /// <summary>The sha256 each backup must still have before the original it protects is deleted.</summary>
    public BackupHashes Backups { get; init; } = BackupHashes.None;

    /// <summary>Items whose plan wave says StopOriginalsFirst: stopped as with --stop-original, without it.</summary>
    public IReadOnlySet<(string Namespace, string Name)> StopOriginals { get; init; } = new HashSet<(string, string)>();

    private static readonly HashSet<string> AuthKinds = ["ServiceAccount", "Role", "RoleBinding"];

    private WriteOptions Write => new(options.DryRun, options.FieldManager);

    private string DryTag => options.DryRun ? "[dry-run] " : "";

    public async Task<ApplyItemResult> ApplyAsync(PlannedObjects work, string? refusal, InventoryItem? inventory, CancellationToken ct)
    {
        var item = work.Item;
        var id = $"{item.Namespace}/{item.Name}";
        var record = ledger.Item(item.Namespace, item.Name);
        if (refusal is not null)
        {
            log.Error($"apply {id} refused: {refusal}");
            return new ApplyItemResult(item.Namespace, item.Name, ApplyItemStatus.Refused, refusal);
        }

        if (!options.DryRun && await IsAlreadyAppliedAsync(item, record, ct).ConfigureAwait(false))
        {
            log.Info($"{id}: already applied ({item.TargetNamespace}/{item.TargetName}); nothing to do");
            return new ApplyItemResult(item.Namespace, item.Name, ApplyItemStatus.AlreadyApplied, null);
        }

        await ledger.UpdateItemAsync(record, r =>
        {
            r.Strategy = item.Strategy;
            r.TargetNamespace = item.TargetNamespace;
            r.TargetName = item.TargetName;
            r.State = LedgerItemStates.InProgress;
            r.Error = null;
            r.OriginalUid ??= inventory?.Uid;
        }, ct).ConfigureAwait(false);

        try
        {
            await CopySecretsAsync(item, record, ct).ConfigureAwait(false);
            await CopySecretKeysAsync(item, record, ct).ConfigureAwait(false);
            var rolledBack = item.DeleteBeforeCreate
                ? await ReplaceInPlaceAsync(work, record, inventory?.Uid, ct).ConfigureAwait(false)
                : await CreateAlongsideAsync(work, record, ct).ConfigureAwait(false);
            if (rolledBack is not null)
            {
                return new ApplyItemResult(item.Namespace, item.Name, ApplyItemStatus.RolledBack, rolledBack);
            }

            if (!options.DryRun)
            {
                await ledger.UpdateItemAsync(record, r => r.State = LedgerItemStates.Applied, CancellationToken.None).ConfigureAwait(false);
            }

            log.Info($"{DryTag}applied {id} -> {item.TargetNamespace}/{item.TargetName} ({item.Strategy})");
            return new ApplyItemResult(item.Namespace, item.Name, options.DryRun ? ApplyItemStatus.DryRun : ApplyItemStatus.Applied, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = Describe(ex);
            log.Error($"{DryTag}apply {id} failed: {message}");
            await ledger.UpdateItemAsync(record, r =>
            {
                r.State = r.State == LedgerItemStates.RollbackFailed ? r.State : LedgerItemStates.Failed;
                r.Error = message;
            }, CancellationToken.None).ConfigureAwait(false);
            return new ApplyItemResult(item.Namespace, item.Name, ApplyItemStatus.Failed, message);
        }
    }

    private async Task<bool> IsAlreadyAppliedAsync(PlanItem item, LedgerItem record, CancellationToken ct)
    {
        if (record.State != LedgerItemStates.Applied || record.ReplacementUid is null || record.TargetNamespace != item.TargetNamespace || record.TargetName != item.TargetName)
        {
            return false;
        }

        var live = await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct).ConfigureAwait(false);
        return live?.Uid() == record.ReplacementUid;
    }

    /// <summary>side-by-side and new-namespace: the original is never touched (except --stop-original, after the replacement exists).</summary>
    private async Task<string?> CreateAlongsideAsync(PlannedObjects work, LedgerItem record, CancellationToken ct)
    {
        var written = new List<JsonObject>();
        JsonObject? isvc = null;
        foreach (var obj in work.Objects.Where(o => o.Kind() != "Namespace"))
        {
            var result = await WriteObjectAsync(work.Item, record, obj, ct).ConfigureAwait(false);
            written.Add(result);
            if (obj.Kind() == "InferenceService")
            {
                isvc = result;
                await ledger.UpdateItemAsync(record, r => r.ReplacementUid = result.Uid(), ct).ConfigureAwait(false);
            }
        }

        if (isvc is not null)
        {
            await SetOwnersAsync(record, written, isvc, ct).ConfigureAwait(false);
            await StopOriginalAsync(work.Item, record, ct).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// in-place: backup checked, original deleted (uid precondition), gone, replacement created; on failure the original
    /// is recreated from the backup. From the delete on, the run's cancellation is not honoured (a bounded timeout is):
    /// an interrupted run must not leave the name unserved.
    /// </summary>
    private async Task<string?> ReplaceInPlaceAsync(PlannedObjects work, LedgerItem record, string? exportedUid, CancellationToken ct)
    {
        var item = work.Item;
        var deletions = DeletionsBeforeApply(item);
        var isvcDeletion = deletions.FirstOrDefault(d => d.Kind == "InferenceService" && d.Name == item.Name)
            ?? throw new ItemFailedException("in-place plan names no InferenceService to delete before apply (deleteBeforeApply); run transform again");

        // Every backup is checked before anything is deleted.
        var backups = deletions.ToDictionary(d => d, d => BackupFile.Verify(layout, d.BackupFile, Backups.Expected(d), d.Kind, d.Namespace ?? item.Namespace, d.Name));
        var backup = backups[isvcDeletion];
        await ledger.UpdateItemAsync(record, r => r.BackupFile = isvcDeletion.BackupFile, ct).ConfigureAwait(false);

        var live = await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct).ConfigureAwait(false);
        var decision = InPlaceDecision.Decide(live, exportedUid, record.OriginalUid, record.ReplacementUid, options.FieldManager);
        log.Debug($"{item.Namespace}/{item.Name}: in-place resume decision {decision}");
        if (decision == InPlaceStep.Refuse)
        {
            throw new ItemFailedException($"InferenceService {item.TargetNamespace}/{item.TargetName} (uid {live?.Uid()}) is neither the exported original (uid {exportedUid ?? record.OriginalUid}) nor the replacement; it was recreated since export; run discover and export again");
        }

        if (options.DryRun)
        {
            return await DryRunInPlaceAsync(work, record, live, ct).ConfigureAwait(false);
        }

        if (decision == InPlaceStep.AlreadyReplaced)
        {
            await ledger.UpdateItemAsync(record, r => r.ReplacementUid = live!.Uid(), ct).ConfigureAwait(false);
            await CreateAlongsideAsync(work, record, ct).ConfigureAwait(false);
            return null;
        }

        ct.ThrowIfCancellationRequested();
        using var criticalTimeout = new CancellationTokenSource(options.DeleteTimeout * 2 + TimeSpan.FromSeconds(90));
        var safe = criticalTimeout.Token;
        if (decision == InPlaceStep.DeleteOriginal)
        {
            var originalUid = live!.Uid();
            await ledger.UpdateItemAsync(record, r => r.OriginalUid = originalUid, safe).ConfigureAwait(false);
            await ReleaseOwnersAsync(work, record, originalUid, deletions, safe).ConfigureAwait(false);
            var step = await ledger.IntentAsync(record, LedgerActions.DeleteOriginal, "InferenceService", live!.ApiVersion(), item.Namespace, item.Name, $"backup {isvcDeletion.BackupFile}", cancellationToken: safe).ConfigureAwait(false);
            try
            {
                await (critical ?? cluster).DeleteAsync(Kinds.InferenceService, item.Namespace, item.Name, new DeleteOptions(PreconditionUid: originalUid), safe).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException)
            {
                // The server may have deleted it before the answer was lost: only an intact original means "nothing happened".
                var after = await (critical ?? cluster).GetAsync(Kinds.InferenceService, item.Namespace, item.Name, safe).ConfigureAwait(false);
                if (after?.Uid() == originalUid && after.At("metadata", "deletionTimestamp") is null)
                {
                    await ledger.CompleteAsync(record, step, LedgerStepStates.Failed, error: Describe(ex), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }

            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, originalUid, live.At("metadata").Str("resourceVersion"), cancellationToken: safe).ConfigureAwait(false);
            log.Info($"deleted original {item.Namespace}/{item.Name} (uid {originalUid}); backup {isvcDeletion.BackupFile}");
        }

        return await Critical.CompleteInPlaceAsync(work, record, backups, isvcDeletion, deletions, ct, safe).ConfigureAwait(false);
    }

    /// <summary>After the original's delete: wait for it, delete its companions, create the replacement; roll back on failure.</summary>
    private async Task<string?> CompleteInPlaceAsync(PlannedObjects work, LedgerItem record, Dictionary<PlannedDeletion, JsonObject> backups, PlannedDeletion isvcDeletion, List<PlannedDeletion> deletions, CancellationToken ct, CancellationToken safe)
    {
        var item = work.Item;
        await WaitGoneAsync(record, "InferenceService", item.Namespace, item.Name, safe).ConfigureAwait(false);
        try
        {
            await DeleteCompanionsAsync(item, record, deletions.Where(d => d != isvcDeletion), safe).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return await RollBackAsync(work, record, backups, isvcDeletion, Describe(ex), safe).ConfigureAwait(false);
        }

        JsonObject? isvc = null;
        var written = new List<JsonObject>();
        try
        {
            foreach (var obj in work.Objects.Where(o => o.Kind() != "Namespace"))
            {
                var result = await WriteObjectAsync(item, record, obj, safe).ConfigureAwait(false);
                written.Add(result);
                if (obj.Kind() == "InferenceService")
                {
                    isvc = result;
                    await ledger.UpdateItemAsync(record, r => r.ReplacementUid = result.Uid(), safe).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (isvc is null)
        {
            return await RollBackAsync(work, record, backups, isvcDeletion, Describe(ex), safe).ConfigureAwait(false);
        }

        if (isvc is not null)
        {
            await SetOwnersAsync(record, written, isvc, safe).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>What in-place deletes before creating: the plan's deleteBeforeApply (older plans: the ISVC from deleteOnCleanup).</summary>
    private static List<PlannedDeletion> DeletionsBeforeApply(PlanItem item) =>
        item.DeleteBeforeApply.Count > 0
            ? item.DeleteBeforeApply
            : item.DeleteOnCleanup.Where(d => d.Kind == "InferenceService" && d.Name == item.Name && (d.Namespace ?? item.Namespace) == item.Namespace).ToList();

    /// <summary>
    /// The originals deleted with the ISVC (its Route, auth objects and tokens, which the old ISVC owns: a same-named copy
    /// would be garbage-collected with it). Each is recorded, deleted and waited for; its backup was checked before.
    /// </summary>
    private async Task DeleteCompanionsAsync(PlanItem item, LedgerItem record, IEnumerable<PlannedDeletion> companions, CancellationToken ct)
    {
        foreach (var deletion in companions)
        {
            var kind = Kinds.Find(deletion.ApiVersion, deletion.Kind) ?? throw new ItemFailedException($"unknown kind {deletion.Kind} ({deletion.ApiVersion}) in deleteBeforeApply");
            var ns = deletion.Namespace ?? item.Namespace;
            var live = await cluster.GetAsync(kind, ns, deletion.Name, ct).ConfigureAwait(false);
            if (live is not null && live.At("metadata", "deletionTimestamp") is null)
            {
                var step = await ledger.IntentAsync(record, LedgerActions.DeleteOriginal, deletion.Kind, deletion.ApiVersion, ns, deletion.Name, $"backup {deletion.BackupFile}", cancellationToken: ct).ConfigureAwait(false);
                await cluster.DeleteAsync(kind, ns, deletion.Name, new DeleteOptions(PreconditionUid: live.Uid()), ct).ConfigureAwait(false);
                await ledger.CompleteAsync(record, step, LedgerStepStates.Done, live.Uid(), live.At("metadata").Str("resourceVersion"), cancellationToken: ct).ConfigureAwait(false);
            }

            if (live is not null)
            {
                await WaitGoneAsync(record, deletion.Kind, ns, deletion.Name, ct, live.Uid()).ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> DryRunInPlaceAsync(PlannedObjects work, LedgerItem record, JsonObject? live, CancellationToken ct)
    {
        var item = work.Item;
        if (live is not null)
        {
            await cluster.DeleteAsync(Kinds.InferenceService, item.Namespace, item.Name, new DeleteOptions(DryRun: true, PreconditionUid: live.Uid()), ct).ConfigureAwait(false);
            log.Info($"[dry-run] would delete original {item.Namespace}/{item.Name} (uid {live.Uid()})");
        }

        foreach (var obj in work.Objects.Where(o => o.Kind() != "Namespace"))
        {
            if (obj.Kind() == "InferenceService" && live is not null)
            {
                // A dry-run update of the live original would be refused by the deploymentMode webhook: a real run
                // deletes it first, which a dry run cannot do.
                log.Warn($"[dry-run] {item.Namespace}/{item.Name}: the replacement InferenceService is not exercised (the original still exists in a dry run)");
                continue;
            }

            await WriteObjectAsync(item, record, obj, ct).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<string> RollBackAsync(PlannedObjects work, LedgerItem record, Dictionary<PlannedDeletion, JsonObject> backups, PlannedDeletion isvcDeletion, string reason, CancellationToken ct)
    {
        var item = work.Item;
        log.Error($"{item.Namespace}/{item.Name}: replacement failed ({reason}); recreating the original from its backup");
        try
        {
            // The InferenceService first: it is what serves. Then its companions, best effort (the controller recreates a Route).
            var original = backups[isvcDeletion].DeepCopy();
            ServerFields.StripForNewObject(original);
            var step = await ledger.IntentAsync(record, LedgerActions.RecreateOriginal, "InferenceService", original.ApiVersion(), item.Namespace, item.Name, $"from {isvcDeletion.BackupFile}", cancellationToken: ct).ConfigureAwait(false);
            var recreated = await ApplyReplacingAsync(original, ct).ConfigureAwait(false);
            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, recreated.Uid(), recreated.At("metadata").Str("resourceVersion"), cancellationToken: ct).ConfigureAwait(false);
            foreach (var (deletion, backup) in backups.Where(b => b.Key != isvcDeletion).Reverse())
            {
                var copy = backup.DeepCopy();
                ServerFields.StripForNewObject(copy);
                try
                {
                    var companionStep = await ledger.IntentAsync(record, LedgerActions.RecreateOriginal, deletion.Kind, deletion.ApiVersion, copy.Namespace() ?? deletion.Namespace, deletion.Name, $"from {deletion.BackupFile}", cancellationToken: ct).ConfigureAwait(false);
                    var result = await ApplyReplacingAsync(copy, ct).ConfigureAwait(false);
                    await ledger.CompleteAsync(record, companionStep, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException)
                {
                    log.Warn($"{item.Namespace}/{item.Name}: could not recreate {deletion.Kind} {deletion.Name} from {deletion.BackupFile}: {Describe(ex)}");
                }
            }

            await ledger.UpdateItemAsync(record, r =>
            {
                r.State = LedgerItemStates.RolledBack;
                r.Error = reason;
                r.OriginalUid = recreated.Uid();
                r.ReplacementUid = null;
            }, ct).ConfigureAwait(false);
            var message = $"replacement failed ({reason}); the original was recreated from {isvcDeletion.BackupFile}";
            log.Warn($"{item.Namespace}/{item.Name}: {message}");
            return message;
        }
        catch (Exception ex) when (ex is not ItemFailedException)
        {
            await ledger.UpdateItemAsync(record, r => r.State = LedgerItemStates.RollbackFailed, CancellationToken.None).ConfigureAwait(false);
            throw new ItemFailedException($"replacement failed ({reason}) and recreating the original from {isvcDeletion.BackupFile} failed too ({Describe(ex)}); run apply again to finish or roll back", ex);
        }
    }

    /// <summary>
    /// Server-side apply of a backup; when a half-created replacement of the same name is in the way (the webhook refuses
    /// the mode change on update), it is deleted first: it never served, the original did.
    /// </summary>
    private async Task<JsonObject> ApplyReplacingAsync(JsonObject obj, CancellationToken ct)
    {
        try
        {
            return await cluster.ApplyAsync(obj, Write, ct).ConfigureAwait(false);
        }
        catch (ClusterException ex) when (obj.Kind() == "InferenceService" && (ex.StatusCode is 400 or 422 || IsWebhookDenial(ex)))
        {
            var kind = Kinds.InferenceService;
            var existing = await cluster.GetAsync(kind, obj.Namespace(), obj.Name(), ct).ConfigureAwait(false);
            if (existing is null || !Ownership.IsManagedBy(existing, options.FieldManager))
            {
                throw;
            }

            await cluster.DeleteAsync(kind, obj.Namespace(), obj.Name(), new DeleteOptions(PreconditionUid: existing.Uid()), ct).ConfigureAwait(false);
            await DeletionWait.UntilGoneAsync(cluster, kind, obj.Namespace(), obj.Name(), _ => true, options.DeleteTimeout, options.PollInterval, ct).ConfigureAwait(false);
            return await cluster.ApplyAsync(obj, Write, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A validating webhook's refusal: the API server answers it with the webhook's code, 403 Forbidden for KServe's
    /// (controller-runtime admission.Denied), worded "admission webhook ... denied the request". Not an RBAC 403.
    /// </summary>
    private static bool IsWebhookDenial(ClusterException ex) =>
        ex.IsForbidden && ex.Message.Contains("admission webhook", StringComparison.Ordinal) && ex.Message.Contains("denied the request", StringComparison.Ordinal);

    private async Task WaitGoneAsync(LedgerItem record, string kindName, string ns, string name, CancellationToken ct, string? uid = null)
    {
        var kind = Kinds.All.First(k => k.Kind == kindName);

        // Gone, or replaced: the name now holds our replacement or an object other than the one deleted.
        bool StillTheOriginal(JsonObject live) => live.Uid() is not { } liveUid || (liveUid != record.ReplacementUid && (uid is null || liveUid == uid));
        if (await DeletionWait.UntilGoneAsync(cluster, kind, ns, name, StillTheOriginal, options.DeleteTimeout, options.PollInterval, ct).ConfigureAwait(false) is { } stuck)
        {
            var finalizers = stuck.At("metadata", "finalizers") is JsonArray f ? string.Join(", ", f.Select(x => x?.ToString())) : "none";
            throw new ItemFailedException($"original {kindName} {ns}/{name} is still terminating after {options.DeleteTimeout.TotalSeconds:0}s (finalizers: {finalizers}); it is not replaced yet. If Serverless or Service Mesh was already removed, its finalizer cannot complete: set them back to Managed, wait for the deletion, then run apply again");
        }

        var step = await ledger.IntentAsync(record, LedgerActions.OriginalGone, kindName, null, ns, name, cancellationToken: ct).ConfigureAwait(false);
        await ledger.CompleteAsync(record, step, LedgerStepStates.Done, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes one object. Create first (one request on a fresh cluster); when it exists, server-side apply only if it is
    /// ours (our field manager, or our ledger) or an original the in-place plan replaces; anything else is refused.
    /// </summary>
    private async Task<JsonObject> WriteObjectAsync(PlanItem item, LedgerItem record, JsonObject obj, CancellationToken ct)
    {
        var kind = obj.Kind()!;
        var step = await ledger.IntentAsync(record, LedgerActions.Apply, kind, obj.ApiVersion(), obj.Namespace(), obj.Name(), cancellationToken: ct).ConfigureAwait(false);
        try
        {
            JsonObject result;
            if (options.DryRun)
            {
                result = await cluster.ApplyAsync(obj, Write, ct).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    result = await cluster.CreateAsync(obj, Write, ct).ConfigureAwait(false);
                }
                catch (ClusterException ex) when (ex.IsConflict || ex.StatusCode == 409)
                {
                    var existing = await cluster.GetAsync(Kinds.Find(obj.ApiVersion(), kind)!, obj.Namespace(), obj.Name(), ct).ConfigureAwait(false);
                    if (existing is not null && !MayOverwrite(item, existing))
                    {
                        throw new ItemFailedException($"{kind} {obj.Namespace()}/{obj.Name()} already exists and was not created by {options.FieldManager}; refusing to overwrite it");
                    }

                    result = await cluster.ApplyAsync(obj, Write, ct).ConfigureAwait(false);
                }
            }

            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            log.Debug($"{DryTag}{kind} {obj.Namespace()}/{obj.Name()} written");
            return result;
        }
        catch (Exception ex)
        {
            await ledger.CompleteAsync(record, step, LedgerStepStates.Failed, error: Describe(ex), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private bool MayOverwrite(PlanItem item, JsonObject existing)
    {
        var kind = existing.Kind() ?? "";
        if (Ownership.IsManagedBy(existing, options.FieldManager) || ledger.WroteObject(kind, existing.Namespace(), existing.Name(), existing.Uid()))
        {
            return true;
        }

        // in-place replaces the originals it names, in their own namespace.
        return item.Strategy == Strategies.InPlace && existing.Namespace() == item.Namespace
            || item.DeleteOnCleanup.Any(d => d.Kind == kind && d.Name == existing.Name() && d.Namespace == existing.Namespace())
            || item.Keep.Any(k => k.Kind == kind && k.Name == existing.Name() && k.Namespace == existing.Namespace());
    }

    /// <summary>new-namespace: Secrets are read from the source namespace and written to the target; their data never touches disk.</summary>
    private async Task CopySecretsAsync(PlanItem item, LedgerItem record, CancellationToken ct)
    {
        foreach (var secretRef in item.SecretCopies)
        {
            var source = secretRef.Namespace ?? item.Namespace;
            if (source == item.TargetNamespace)
            {
                continue;
            }

            var secret = await cluster.GetAsync(Kinds.Secret, source, secretRef.Name, ct).ConfigureAwait(false)
                ?? throw new ItemFailedException($"Secret {source}/{secretRef.Name} (planned copy to {item.TargetNamespace}) not found");
            var copy = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = secretRef.Name, ["namespace"] = item.TargetNamespace },
            };
            foreach (var map in new[] { "labels", "annotations" })
            {
                if (secret.At("metadata", map) is JsonObject values)
                {
                    var clean = (JsonObject)values.DeepClone();
                    clean.Remove(ServerFields.LastApplied);
                    copy.Metadata()[map] = clean;
                }
            }

            foreach (var field in new[] { "type", "data", "immutable" })
            {
                if (secret[field] is { } value)
                {
                    copy[field] = value.DeepClone();
                }
            }

            var step = await ledger.IntentAsync(record, LedgerActions.CopySecret, "Secret", "v1", item.TargetNamespace, secretRef.Name, $"from {source}", cancellationToken: ct).ConfigureAwait(false);
            try
            {
                var existing = options.DryRun ? null : await cluster.GetAsync(Kinds.Secret, item.TargetNamespace, secretRef.Name, ct).ConfigureAwait(false);
                if (existing is not null && !Ownership.IsManagedBy(existing, options.FieldManager) && !ledger.WroteObject("Secret", item.TargetNamespace, secretRef.Name, existing.Uid()))
                {
                    throw new ItemFailedException($"Secret {item.TargetNamespace}/{secretRef.Name} already exists and was not created by {options.FieldManager}; refusing to overwrite it");
                }

                var result = await cluster.ApplyAsync(copy, Write, ct).ConfigureAwait(false);
                await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                log.Info($"{DryTag}copied Secret {source}/{secretRef.Name} to {item.TargetNamespace}");
            }
            catch (Exception ex)
            {
                await ledger.CompleteAsync(record, step, LedgerStepStates.Failed, error: Describe(ex), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Copies only the named keys of a Secret (e.g. one storage-config entry) into the same-named Secret of the target,
    /// merging into it when it exists. Values go from one API call to the next and never to disk or the log.
    /// </summary>
    private async Task CopySecretKeysAsync(PlanItem item, LedgerItem record, CancellationToken ct)
    {
        foreach (var copy in item.SecretKeyCopies)
        {
            var source = await cluster.GetAsync(Kinds.Secret, copy.SourceNamespace, copy.Name, ct).ConfigureAwait(false)
                ?? throw new ItemFailedException($"Secret {copy.SourceNamespace}/{copy.Name} (keys {string.Join(", ", copy.Keys)} planned for {copy.TargetNamespace}) not found");
            var data = new JsonObject();
            foreach (var key in copy.Keys)
            {
                data[key] = source.At("data")?[key]?.DeepClone() ?? throw new ItemFailedException($"Secret {copy.SourceNamespace}/{copy.Name} has no key '{key}' (planned copy to {copy.TargetNamespace})");
            }

            var step = await ledger.IntentAsync(record, LedgerActions.CopySecret, "Secret", "v1", copy.TargetNamespace, copy.Name, $"keys {string.Join(", ", copy.Keys)} from {copy.SourceNamespace}", cancellationToken: ct).ConfigureAwait(false);
            try
            {
                var existing = options.DryRun ? null : await cluster.GetAsync(Kinds.Secret, copy.TargetNamespace, copy.Name, ct).ConfigureAwait(false);
                JsonObject result;
                if (existing is null)
                {
                    var secret = Manifest.NewObject(Kinds.Secret, copy.Name, copy.TargetNamespace);
                    secret["type"] = source.Str("type") ?? "Opaque";
                    secret["data"] = data;
                    result = await cluster.ApplyAsync(secret, Write, ct).ConfigureAwait(false);
                }
                else
                {
                    result = await cluster.PatchAsync(Kinds.Secret, copy.TargetNamespace, copy.Name, PatchKind.Merge, new JsonObject { ["data"] = data }.ToJsonString(), Write, ct).ConfigureAwait(false);
                }

                await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                log.Info($"{DryTag}copied key(s) {string.Join(", ", copy.Keys)} of Secret {copy.SourceNamespace}/{copy.Name} into {copy.TargetNamespace}");
            }
            catch (Exception ex)
            {
                await ledger.CompleteAsync(record, step, LedgerStepStates.Failed, error: Describe(ex), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// in-place: auth objects of the original carry ownerReferences to it; deleting it would let the garbage collector take
    /// them (and the token with them). Drop those references first; <see cref="SetOwnersAsync"/> points them at the replacement.
    /// </summary>
    private async Task ReleaseOwnersAsync(PlannedObjects work, LedgerItem record, string? originalUid, List<PlannedDeletion> deletedAnyway, CancellationToken ct)
    {
        if (originalUid is null)
        {
            return;
        }

        foreach (var obj in work.Objects.Where(IsAuthObject).Where(o => !deletedAnyway.Any(d => d.Kind == o.Kind() && d.Name == o.Name() && (d.Namespace ?? o.Namespace()) == o.Namespace())))
        {
            var kind = Kinds.Find(obj.ApiVersion(), obj.Kind())!;
            var live = await cluster.GetAsync(kind, obj.Namespace(), obj.Name(), ct).ConfigureAwait(false);
            if (live is null || !live.IsOwnedBy(originalUid))
            {
                continue;
            }

            var remaining = new JsonArray(live.OwnerReferences().Where(r => r.Str("uid") != originalUid).Select(r => (JsonNode)r.DeepCopy()).ToArray());
            var step = await ledger.IntentAsync(record, LedgerActions.ReleaseOwner, kind.Kind, kind.ApiVersion, obj.Namespace(), obj.Name(), $"drop ownerReference to original uid {originalUid}", cancellationToken: ct).ConfigureAwait(false);
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = remaining.Count == 0 ? null : remaining } };
            var result = await cluster.PatchAsync(kind, obj.Namespace(), obj.Name(), PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>ownerReferences from the auth objects (service account, role, binding, token Secret) to the new ISVC, now that its uid is known.</summary>
    private async Task SetOwnersAsync(LedgerItem record, List<JsonObject> written, JsonObject isvc, CancellationToken ct)
    {
        if (options.DryRun || isvc.Uid() is not { } uid)
        {
            return;
        }

        foreach (var obj in written.Where(o => IsAuthObject(o) && o.Namespace() == isvc.Namespace()))
        {
            if (obj.IsOwnedBy(uid))
            {
                continue;
            }

            var refs = new JsonArray(obj.OwnerReferences().Select(r => (JsonNode)r.DeepCopy()).ToArray());
            refs.Add((JsonNode)new JsonObject { ["apiVersion"] = isvc.ApiVersion(), ["kind"] = "InferenceService", ["name"] = isvc.Name(), ["uid"] = uid, ["blockOwnerDeletion"] = false });
            var kind = Kinds.Find(obj.ApiVersion(), obj.Kind())!;
            var step = await ledger.IntentAsync(record, LedgerActions.SetOwner, kind.Kind, kind.ApiVersion, obj.Namespace(), obj.Name(), $"owner InferenceService {isvc.Name()} uid {uid}", cancellationToken: ct).ConfigureAwait(false);
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = refs } };
            var result = await cluster.PatchAsync(kind, obj.Namespace(), obj.Name(), PatchKind.Merge, patch.ToJsonString(), Write, ct).ConfigureAwait(false);
            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>--stop-original: once the replacement exists, stop a Serverless original to free its resources (guide §5.1.2).</summary>
    private async Task StopOriginalAsync(PlanItem item, LedgerItem record, CancellationToken ct)
    {
        if (!(options.StopOriginal || StopOriginals.Contains((item.Namespace, item.Name))) || item.Strategy == Strategies.InPlace)
        {
            return;
        }

        if (item.SourceMode == DeploymentMode.ModelMesh)
        {
            log.Warn($"{item.Namespace}/{item.Name}: --stop-original ignored: ModelMesh InferenceServices cannot be stopped (guide §5.1.3); the original keeps running until cleanup");
            return;
        }

        var step = await ledger.IntentAsync(record, LedgerActions.StopOriginal, "InferenceService", Kinds.InferenceService.ApiVersion, item.Namespace, item.Name, "serving.kserve.io/stop=true", cancellationToken: ct).ConfigureAwait(false);
        var patch = """{"metadata":{"annotations":{"serving.kserve.io/stop":"true"}}}""";
        var result = await cluster.PatchAsync(Kinds.InferenceService, item.Namespace, item.Name, PatchKind.Merge, patch, Write, ct).ConfigureAwait(false);
        await ledger.CompleteAsync(record, step, LedgerStepStates.Done, result.Uid(), result.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        log.Info($"{DryTag}stopped original {item.Namespace}/{item.Name} (serving.kserve.io/stop=true)");
    }

    private static bool IsAuthObject(JsonObject obj) => AuthKinds.Contains(obj.Kind() ?? "") || ManifestFileNames.IsTokenSecret(obj);

    private static string Describe(Exception ex) => ex switch
    {
        ClusterException c => $"{c.StatusCode} {c.Reason}: {c.Message}",
        _ => PlainErrors.Describe(ex),
    };
}
