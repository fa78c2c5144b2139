using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Cleanup;

/// <summary>
/// cleanup: deletes the originals of every ISVC whose replacement passed validation, only objects the plan's
/// deleteOnCleanup names, only with their backup on disk, never an object apply wrote, never a ServiceAccount the
/// replacement runs as, and a runtime only when no live ISVC still uses it. Idempotent; writes cleanup.json.
/// </summary>
public sealed class CleanupEngine(ICluster cluster, IStageLog log, TimeProvider? clock = null)
{
    private static readonly string[] ServiceAccountHolders = ["predictor", "transformer", "explainer"];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(CleanupOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        UsageProblems.ThrowIfAny(options.Problems());
        var expectedValidation = ApprovedSha256.Resolve("--expect-validation-sha256", options.ExpectValidationSha256, options.RequireGate, options.DryRun, WorkspaceLayout.ValidationFile, log);
        var (plan, planConsumed) = await WorkspaceDocuments.ReadPlanAsync(layout, cancellationToken).ConfigureAwait(false);
        var selection = WaveSelection.Resolve(plan, options.Wave);
        var (validation, validationConsumed) = await WorkspaceDocuments.ReadAsync(layout, layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, cancellationToken).ConfigureAwait(false);
        if (expectedValidation is not null && !string.Equals(validationConsumed.Sha256, expectedValidation, StringComparison.OrdinalIgnoreCase))
        {
            throw new PreconditionException($"{validationConsumed.Path} has sha256 {validationConsumed.Sha256}, but --expect-validation-sha256 is {expectedValidation}: validation changed since it was approved; nothing was deleted");
        }

        if (validation.Consumed.FirstOrDefault(c => c.Path == planConsumed.Path) is { } validatedPlan && validatedPlan.Sha256 != planConsumed.Sha256)
        {
            throw new PreconditionException($"{planConsumed.Path} changed since validation (sha256 {planConsumed.Sha256}, validated {validatedPlan.Sha256}); run apply and validate again; nothing was deleted");
        }

        await ConsumedDocumentsGate.VerifyAsync(layout, plan, "nothing was deleted", cancellationToken).ConfigureAwait(false);
        var (inventory, inventoryConsumed) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var (export, _) = await WorkspaceDocuments.ReadExportAsync(layout, cancellationToken).ConfigureAwait(false);
        var live = new RetryingCluster(cluster, options.Retry, log);
        var reportPath = options.DryRun ? Path.ChangeExtension(layout.Cleanup, ".dry-run.json") : layout.Cleanup;
        var previous = selection.Number is null ? null : await WaveProgress.PreviousCleanupAsync(layout, reportPath, planConsumed, cancellationToken).ConfigureAwait(false);
        var candidates = plan.Items.Where(i => i.Status == ItemStatuses.Ok && selection.Includes(plan, i)).ToList();
        var cleaned = await WaveProgress.CleanedItemsAsync(layout, planConsumed, cancellationToken).ConfigureAwait(false);
        var run = new CleanupRun(live, log, options, layout, plan, inventory, BackupHashes.From(export))
        {
            RuntimesOfOtherWaves = RuntimeUsers.OutsideSelection(plan, inventory, candidates, cleaned),
        };
        var validatedByName = validation.Items.GroupBy(v => (v.Namespace, v.Name)).ToDictionary(g => g.Key, g => g.First());
        var results = new CleanupItem[candidates.Count];

        // Items that share an object or a runtime stay in one group, in plan order; only unrelated groups overlap.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(CleanupGroups.Of(candidates, inventory), parallel, async (group, ct) =>
        {
            foreach (var index in group)
            {
                var item = candidates[index];
                results[index] = (await run.CleanItemAsync(item, validatedByName.GetValueOrDefault((item.Namespace, item.Name)), ct).ConfigureAwait(false)) with { Wave = WaveSelection.WaveOf(plan, item) };
            }

            // A runtime kept because a later item's original still used it may be free now: the group holds every
            // item on that runtime, so one more pass in plan order deletes what this run freed (checked live again).
            foreach (var index in group)
            {
                results[index] = (await run.RetryDeferredAsync(candidates[index], results[index], ct).ConfigureAwait(false)) with { Wave = WaveSelection.WaveOf(plan, candidates[index]) };
            }
        }).ConfigureAwait(false);
        var items = results.ToList();

        var objects = items.SelectMany(i => i.Objects).ToList();
        var deleted = objects.Count(o => o.Outcome is CleanupOutcomes.Deleted or CleanupOutcomes.WouldDelete);
        var alreadyAbsent = objects.Count(o => o.Outcome == CleanupOutcomes.AlreadyGone);
        var failed = objects.Count(o => o.Outcome is CleanupOutcomes.Failed or CleanupOutcomes.Stuck);
        var kept = objects.Count(o => o.Outcome == CleanupOutcomes.Kept);

        // --wave K replaces only wave K's entries of the report; the counts are this run's (the log and results say
        // what this run did), the items every wave's so far, so apply of a later wave can see which were cleaned.
        var cleanedNow = candidates.Select(c => (c.Namespace, c.Name)).ToHashSet();
        var otherWaves = previous?.Items.Where(p => !cleanedNow.Contains((p.Namespace, p.Name))).ToList() ?? [];
        var position = WaveProgress.PlanOrder(plan);
        var report = new CleanupReport
        {
            GeneratedAt = _clock.GetUtcNow(),
            Consumed = [planConsumed, validationConsumed, inventoryConsumed],
            DryRun = options.DryRun,
            Deleted = deleted,
            AlreadyAbsent = alreadyAbsent,
            Kept = kept,
            Failed = failed,
            Items = [.. otherWaves.Concat(items).OrderBy(i => i.Wave ?? 0).ThenBy(i => position.GetValueOrDefault((i.Namespace, i.Name), -1))],
        };
        var sha = await WorkspaceDocuments.WriteAsync(reportPath, report, CleanupReportJsonContext.Default.CleanupReport, cancellationToken).ConfigureAwait(false);
        var skipped = items.Count(i => i.Status == ItemStatuses.Skipped);
        var summary = selection.Prefix + $"{(options.DryRun ? "dry run: would delete" : "deleted")} {deleted} original object(s) of {items.Count - skipped} validated InferenceService(s); {alreadyAbsent} already absent; kept {report.Kept}; {failed} failed or stuck; {skipped} skipped (replacement not validated)";
        log.Info(summary);
        var resultFiles = new Dictionary<string, string>
        {
            ["deleted"] = deleted.ToString(CultureInfo.InvariantCulture),
            ["already-absent"] = alreadyAbsent.ToString(CultureInfo.InvariantCulture),
            ["kept"] = report.Kept.ToString(CultureInfo.InvariantCulture),
            ["failed"] = failed.ToString(CultureInfo.InvariantCulture),
            ["skipped"] = skipped.ToString(CultureInfo.InvariantCulture),
            ["cleanup-sha256"] = sha,
        };
        if (selection.Number is { } wave)
        {
            resultFiles["wave"] = wave.ToString(CultureInfo.InvariantCulture);
        }

        return new StageOutcome(StageOutcome.ExitFor(failed + skipped, items.Count), summary, resultFiles);
    }

    /// <summary>State of one cleanup run: what was already handled (several items may name the same leftover).</summary>
    private sealed class CleanupRun(ICluster cluster, IStageLog log, CleanupOptions options, WorkspaceLayout layout, Plan plan, Inventory? inventory, BackupHashes backups)
    {
        // Groups never share keys (CleanupGroups), but they share these sets, so every access takes the lock.
        private readonly Lock _lock = new();

        /// <summary>Per (namespace, runtime): items of other waves, not cleaned up yet, that run on it (<see cref="RuntimeUsers"/>).</summary>
        public IReadOnlyDictionary<(string Namespace, string Runtime), List<string>> RuntimesOfOtherWaves { get; init; } = new Dictionary<(string, string), List<string>>();
        private readonly Dictionary<(string Kind, string? Ns, string Name), string> _handledBy = [];
        private readonly HashSet<(string Ns, string Name)> _runtimesGone = [];

        // ISVCs this run deleted (or, in a dry run, would delete): no longer users of a runtime, even while terminating in a dry run.
        private readonly HashSet<(string? Ns, string Uid)> _isvcsDeleted = [];

        // Deletions kept only because something this run may still delete was in the way (a runtime's user, the runtime of auth objects).
        private readonly List<(PlanItem Item, PlannedDeletion Deletion, HashSet<(string?, string)> ProtectedAccounts)> _deferred = [];
        private readonly Dictionary<(string Namespace, string Name), string?> _exportedUid = inventory?.Items.GroupBy(i => (i.Namespace, i.Name)).ToDictionary(g => g.Key, g => g.First().Uid) ?? [];
        private readonly HashSet<(string Kind, string? Ns, string Name)> _written = plan.Items.Where(i => i.Status == ItemStatuses.Ok)
            .SelectMany(i => i.Create.Select(c => (c.Kind, c.Namespace ?? (c.Kind == "Namespace" ? null : i.TargetNamespace), c.Name))).ToHashSet();

        public async Task<CleanupItem> CleanItemAsync(PlanItem item, ValidatedItem? validated, CancellationToken ct)
        {
            var id = $"{item.Namespace}/{item.Name}";
            if (validated is not { Passed: true })
            {
                var why = validated is null ? "not in validation.json" : $"its replacement did not pass validation ({validated.Reason})";
                log.Warn($"{id}: skipped: {why}; the original is kept");
                return new CleanupItem { Namespace = item.Namespace, Name = item.Name, Status = ItemStatuses.Skipped, Reason = why };
            }

            var replacement = await cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct).ConfigureAwait(false);
            if (replacement is null || (validated.TargetUid is not null && replacement.Uid() != validated.TargetUid) || !IsvcDiagnosis.IsServing(replacement))
            {
                var why = replacement is null ? "the replacement no longer exists" : replacement.Uid() != validated.TargetUid ? "the replacement was recreated since validation" : "the replacement is no longer Ready";
                log.Error($"{id}: skipped: {why}; validate again");
                return new CleanupItem { Namespace = item.Namespace, Name = item.Name, Status = ItemStatuses.Skipped, Reason = why + "; run validate again" };
            }

            var protectedAccounts = ServiceAccountHolders.Select(c => replacement.At("spec", c).Str("serviceAccountName")).OfType<string>().Select(sa => (replacement!.Namespace(), sa)).ToHashSet();
            var objects = new List<CleanupObject>();
            foreach (var deletion in item.DeleteOnCleanup.OrderBy(d => Order(d.Kind)))
            {
                objects.Add(await CleanObjectAsync(item, deletion, protectedAccounts, ct).ConfigureAwait(false));
            }

            foreach (var keep in item.Keep)
            {
                objects.Add(new CleanupObject(keep.Kind, keep.Namespace, keep.Name, CleanupOutcomes.Kept, keep.Reason, null, null));
            }

            return Finished(item, objects);
        }

        private static CleanupItem Finished(PlanItem item, List<CleanupObject> objects) =>
            new() { Namespace = item.Namespace, Name = item.Name, Status = objects.Any(o => o.Outcome is CleanupOutcomes.Failed or CleanupOutcomes.Stuck) ? ItemStatuses.Failed : ItemStatuses.Cleaned, Objects = objects };

        /// <summary>Tries again, in cleanup order, the deletions of this item that were kept for a reason this run may have removed since.</summary>
        public async Task<CleanupItem> RetryDeferredAsync(PlanItem item, CleanupItem result, CancellationToken ct)
        {
            List<(PlanItem Item, PlannedDeletion Deletion, HashSet<(string?, string)> ProtectedAccounts)> mine;
            lock (_lock)
            {
                mine = _deferred.Where(d => ReferenceEquals(d.Item, item)).ToList();
                _deferred.RemoveAll(d => ReferenceEquals(d.Item, item));
            }

            if (mine.Count == 0)
            {
                return result;
            }

            var objects = result.Objects.ToList();
            foreach (var (_, deletion, protectedAccounts) in mine.OrderBy(d => Order(d.Deletion.Kind)))
            {
                var again = await CleanObjectAsync(item, deletion, protectedAccounts, ct).ConfigureAwait(false);
                var at = objects.FindIndex(o => o.Kind == deletion.Kind && o.Namespace == deletion.Namespace && o.Name == deletion.Name && o.Outcome == CleanupOutcomes.Kept);
                if (at >= 0)
                {
                    objects[at] = again;
                }
            }

            lock (_lock)
            {
                // Still kept after the second look: that is final for this run.
                _deferred.RemoveAll(d => ReferenceEquals(d.Item, item));
            }

            return Finished(item, objects);
        }

        /// <summary>The ISVC first (its finalizer cleans Knative/Istio objects), then routes, then the runtime, then auth objects.</summary>
        private static int Order(string kind) => kind switch
        {
            "InferenceService" => 0,
            "Route" or "VirtualService" => 1,
            "ServingRuntime" => 2,
            "RoleBinding" => 3,
            "Role" => 4,
            "Secret" => 5,
            "ServiceAccount" => 6,
            _ => 7,
        };

        private async Task<CleanupObject> CleanObjectAsync(PlanItem item, PlannedDeletion deletion, HashSet<(string?, string)> protectedAccounts, CancellationToken ct)
        {
            var ns = deletion.Namespace;
            CleanupObject Result(string outcome, string? reason, string? uid = null) => new(deletion.Kind, ns, deletion.Name, outcome, reason, deletion.BackupFile, uid);
            var key = (deletion.Kind, ns, deletion.Name);
            var id = $"{item.Namespace}/{item.Name}";
            string? handledBy;
            lock (_lock)
            {
                if (!_handledBy.TryGetValue(key, out handledBy))
                {
                    _handledBy[key] = id;
                }
            }

            if (handledBy is not null)
            {
                // Counted once, where it was handled; here it is only a pointer.
                return Result(CleanupOutcomes.HandledElsewhere, $"handled for {handledBy} in this run");
            }

            // Kept for now, but the obstacle may be something this run deletes later: release the claim so the next
            // item naming it (or the retry pass) looks again, live.
            CleanupObject Deferred(string reason, string? uid = null)
            {
                lock (_lock)
                {
                    _handledBy.Remove(key);
                    _deferred.Add((item, deletion, protectedAccounts));
                }

                return Result(CleanupOutcomes.Kept, reason, uid);
            }

            if (_written.Contains(key))
            {
                return Result(CleanupOutcomes.Kept, "apply wrote an object with this name (it is a replacement, not an original)");
            }

            if (deletion.Kind == "ServiceAccount" && protectedAccounts.Contains((ns, deletion.Name)))
            {
                return Result(CleanupOutcomes.Kept, "the new InferenceService runs as this ServiceAccount");
            }

            var kind = Kinds.Find(deletion.ApiVersion, deletion.Kind);
            if (kind is null)
            {
                return Result(CleanupOutcomes.Failed, $"unknown kind {deletion.Kind} ({deletion.ApiVersion})");
            }

            try
            {
                BackupFile.Verify(layout, deletion.BackupFile, backups.Expected(deletion), deletion.Kind, ns, deletion.Name);
            }
            catch (ItemFailedException ex)
            {
                log.Error($"{item.Namespace}/{item.Name}: {PlainErrors.Describe(ex)}");
                return Result(CleanupOutcomes.Failed, PlainErrors.Describe(ex));
            }

            // A runtime (or its auth objects) shared with a wave not cleaned up yet stays until that wave's cleanup,
            // whatever the live check would say (an in-place original of a later wave may be mid-apply).
            var sharedRuntime = deletion.Kind == "ServingRuntime" ? deletion.Name : deletion.OnlyWithRuntime;
            if (sharedRuntime is not null && RuntimesOfOtherWaves.GetValueOrDefault((ns ?? item.Namespace, sharedRuntime)) is { Count: > 0 } laterUsers)
            {
                return Result(CleanupOutcomes.Kept, $"ServingRuntime {sharedRuntime} is shared with {string.Join(", ", laterUsers)}, not cleaned up yet; the cleanup of the last wave using it deletes it");
            }

            if (deletion.OnlyWithRuntime is { } runtimeName && !RuntimeGone(ns ?? item.Namespace, runtimeName)
                && await cluster.GetAsync(Kinds.ServingRuntime, ns ?? item.Namespace, runtimeName, ct).ConfigureAwait(false) is not null)
            {
                return Deferred($"kept with ServingRuntime {runtimeName}, which is kept");
            }

            try
            {
                var obj = await cluster.GetAsync(kind, ns, deletion.Name, ct).ConfigureAwait(false);
                if (obj is null)
                {
                    MarkRuntimeGone(deletion, ns);
                    return Result(CleanupOutcomes.AlreadyGone, null);
                }

                if (await RefusalAsync(item, deletion, obj, ct).ConfigureAwait(false) is { } refusal)
                {
                    log.Warn($"{item.Namespace}/{item.Name}: keeping {deletion.Kind} {ns}/{deletion.Name}: {refusal.Reason}");
                    return refusal.MayClearInThisRun ? Deferred(refusal.Reason, obj.Uid()) : Result(CleanupOutcomes.Kept, refusal.Reason, obj.Uid());
                }

                if (obj.At("metadata", "deletionTimestamp") is null)
                {
                    await cluster.DeleteAsync(kind, ns, deletion.Name, new DeleteOptions(options.DryRun, PreconditionUid: obj.Uid()), ct).ConfigureAwait(false);
                }

                if (options.DryRun)
                {
                    MarkRuntimeGone(deletion, ns);
                    MarkIsvcDeleted(deletion, ns, obj.Uid());
                    log.Info($"[dry-run] would delete {deletion.Kind} {ns}/{deletion.Name} (backup {deletion.BackupFile})");
                    return Result(CleanupOutcomes.WouldDelete, deletion.Reason, obj.Uid());
                }

                if (await DeletionWait.UntilGoneAsync(cluster, kind, ns, deletion.Name, DeletionWait.SameUid(obj.Uid()), options.Timeout, options.PollInterval, ct).ConfigureAwait(false) is { } stuck)
                {
                    var explanation = FinalizerExplainer.Explain(stuck, await FirstAsync(Kinds.DataScienceCluster, ct).ConfigureAwait(false), await FirstAsync(Kinds.DSCInitialization, ct).ConfigureAwait(false));
                    log.Error(explanation);
                    return Result(CleanupOutcomes.Stuck, explanation, obj.Uid());
                }

                MarkRuntimeGone(deletion, ns);
                MarkIsvcDeleted(deletion, ns, obj.Uid());
                log.Info($"deleted {deletion.Kind} {ns}/{deletion.Name} (backup {deletion.BackupFile})");
                return Result(CleanupOutcomes.Deleted, deletion.Reason, obj.Uid());
            }
            catch (ClusterException ex) when (ex.IsConflict)
            {
                return Result(CleanupOutcomes.Kept, $"changed while cleanup ran (uid precondition failed): {PlainErrors.Describe(ex)}");
            }
            catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException)
            {
                log.Error($"{item.Namespace}/{item.Name}: cannot delete {deletion.Kind} {ns}/{deletion.Name}: {PlainErrors.Describe(ex)}");
                return Result(CleanupOutcomes.Failed, PlainErrors.Describe(ex));
            }
        }

        /// <summary>Live safety checks right before a delete; MayClearInThisRun when only objects this run may still delete stand in the way.</summary>
        private async Task<(string Reason, bool MayClearInThisRun)?> RefusalAsync(PlanItem item, PlannedDeletion deletion, JsonObject obj, CancellationToken ct)
        {
            if (deletion.Kind == "InferenceService")
            {
                if (DeploymentMode.Normalise(obj.Annotation(DeploymentMode.AnnotationKey)) == DeploymentMode.RawDeployment && Ownership.IsManagedBy(obj, Ownership.DefaultFieldManager))
                {
                    return ("it is a RawDeployment InferenceService this tool created, not an original", false);
                }

                var exportedUid = _exportedUid.GetValueOrDefault((deletion.Namespace ?? "", deletion.Name));
                if (exportedUid is not null && obj.Uid() != exportedUid)
                {
                    return ($"it was recreated since export (uid {obj.Uid()}, exported {exportedUid}); its backup is of another object", false);
                }
            }

            if (deletion.Kind == "ServingRuntime")
            {
                var isvcs = await cluster.ListAsync(Kinds.InferenceService, deletion.Namespace, null, ct).ConfigureAwait(false);

                // The runtimes matter only for an ISVC that names none (KServe picks by format): this check runs
                // before every runtime delete, so a namespace where every ISVC names its runtime saves a list each time.
                var runtimes = isvcs.Any(i => NamedRuntime(i) is null)
                    ? await cluster.ListAsync(Kinds.ServingRuntime, deletion.Namespace, null, ct).ConfigureAwait(false)
                    : [];
                var users = isvcs.Where(i => !DeletedByThisRun(i) && UsesRuntime(i, deletion.Name, runtimes)).Select(i => i.Name()).ToList();
                if (users.Count > 0)
                {
                    return ($"still used by InferenceService(s) {string.Join(", ", users)} (checked live just now)", true);
                }
            }

            return null;
        }

        private static string? NamedRuntime(JsonObject isvc) => isvc.At("spec", "predictor", "model").Str("runtime");

        private static bool UsesRuntime(JsonObject isvc, string runtime, IReadOnlyList<JsonObject> runtimes)
        {
            if (NamedRuntime(isvc) is { } named)
            {
                return named == runtime;
            }

            // No runtime named: KServe picks one by model format; count it as a user when that would be this runtime.
            var mode = DeploymentMode.Normalise(isvc.Annotation(DeploymentMode.AnnotationKey)) ?? DeploymentMode.Serverless;
            return RuntimeResolver.Resolve(isvc, runtimes, mode).Runtime == runtime;
        }

        private void MarkIsvcDeleted(PlannedDeletion deletion, string? ns, string? uid)
        {
            if (deletion.Kind == "InferenceService" && uid is not null)
            {
                lock (_lock)
                {
                    _isvcsDeleted.Add((ns, uid));
                }
            }
        }

        private bool DeletedByThisRun(JsonObject isvc)
        {
            lock (_lock)
            {
                return isvc.Uid() is { } uid && _isvcsDeleted.Contains((isvc.Namespace(), uid));
            }
        }

        private void MarkRuntimeGone(PlannedDeletion deletion, string? ns)
        {
            if (deletion.Kind == "ServingRuntime" && ns is not null)
            {
                lock (_lock)
                {
                    _runtimesGone.Add((ns, deletion.Name));
                }
            }
        }

        private bool RuntimeGone(string ns, string name)
        {
            lock (_lock)
            {
                return _runtimesGone.Contains((ns, name));
            }
        }

        private async Task<JsonObject?> FirstAsync(ResourceKind kind, CancellationToken ct)
        {
            try
            {
                var all = await cluster.ListAsync(kind, null, null, ct).ConfigureAwait(false);
                return all.Count > 0 ? all[0] : null;
            }
            catch (ClusterException)
            {
                return null; // not an ODH cluster, or no permission: the explanation says so less precisely
            }
        }
    }
}
