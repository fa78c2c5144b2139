using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// Builds rollback-plan.json from the workspace: per migrated ISVC, delete the replacements apply's ledger recorded
/// (by uid), resume the originals apply stopped and cleanup left (by uid), recreate from verified backups the originals
/// apply (in-place) or cleanup deleted, and put back the labels apply changed. Pure: the same documents always give the same plan, so its sha256 can be approved.
/// </summary>
public static class RollbackPlanner
{
    private static readonly HashSet<string> CleanupDeleted = [CleanupOutcomes.Deleted, CleanupOutcomes.AlreadyGone, CleanupOutcomes.Stuck];

    public static RollbackPlan Build(RollbackInputs inputs, WorkspaceLayout layout)
    {
        var backups = BackupHashes.From(inputs.Export);
        var claimed = new HashSet<(string Kind, string? Ns, string Name)>();
        var labels = new HashSet<(string Kind, string? Ns, string Name, string Key)>();
        var items = new List<RollbackPlanItem>();
        foreach (var item in inputs.Plan.Items.Where(i => i.Status == ItemStatuses.Ok))
        {
            var record = inputs.Ledger?.Items.FirstOrDefault(i => i.Namespace == item.Namespace && i.Name == item.Name);
            if (record is null || !record.Steps.Any(s => s.State == LedgerStepStates.Done))
            {
                continue; // apply never changed anything for it: nothing to undo
            }

            items.Add(BuildItem(item, record, inputs, layout, backups, claimed, labels));
        }

        return new RollbackPlan
        {
            Consumed = inputs.Consumed,
            Items = items,
            Cluster = ClusterSteps(inputs, layout),
        };
    }

    private static RollbackPlanItem BuildItem(PlanItem item, LedgerItem record, RollbackInputs inputs, WorkspaceLayout layout, BackupHashes backups, HashSet<(string, string?, string)> claimed, HashSet<(string, string?, string, string)> labels)
    {
        var id = $"{item.Namespace}/{item.Name}";
        var result = new RollbackPlanItem
        {
            Namespace = item.Namespace,
            Name = item.Name,
            SourceMode = item.SourceMode,
            Strategy = item.Strategy,
            TargetNamespace = item.TargetNamespace,
            TargetName = item.TargetName,
        };

        if (HostingRefusal(item, inputs.DataScienceCluster) is { } hosting)
        {
            return result with { Refusal = hosting };
        }

        var recreate = OriginalsToRecreate(item, record, inputs.Cleanup);
        var exported = inputs.Export?.Items.FirstOrDefault(e => e.Namespace == item.Namespace && e.Name == item.Name)?.Files ?? [];
        var overwritten = WrittenOver(item, record, exported, recreate);
        recreate.AddRange(overwritten);
        var problems = new List<string>();
        var recreations = new List<(PlannedDeletion Deletion, string Sha)>();
        foreach (var deletion in recreate)
        {
            var expected = backups.Expected(deletion);
            try
            {
                BackupFile.Verify(layout, deletion.BackupFile, expected, deletion.Kind, deletion.Namespace ?? item.Namespace, deletion.Name);
                recreations.Add((deletion, expected!));
            }
            catch (ItemFailedException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            return result with { Refusal = string.Join("; ", problems) };
        }

        var steps = new List<RollbackStep>();
        string NextId() => $"{id}#{(steps.Count + 1).ToString(CultureInfo.InvariantCulture)}";

        foreach (var replacement in Replacements(item, record, exported, overwritten).OrderByDescending(r => RollbackOrder.Rank(r.Kind)).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            if (claimed.Add(("replacement:" + replacement.Kind, replacement.Namespace, replacement.Name)))
            {
                steps.Add(new RollbackStep
                {
                    Id = NextId(),
                    Action = RollbackActions.DeleteReplacement,
                    Kind = replacement.Kind,
                    ApiVersion = replacement.ApiVersion ?? "",
                    Namespace = replacement.Namespace,
                    Name = replacement.Name,
                    Uid = replacement.Uid,
                    Reason = $"written by apply (ledger step {replacement.Seq.ToString(CultureInfo.InvariantCulture)}, uid {replacement.Uid})",
                });
            }
        }

        // After the replacements are gone (stopping it freed what they needed), before anything is recreated.
        if (ResumePlanner.Plan(item, record, inputs, layout, recreate, $"{id}#{(steps.Count + 1).ToString(CultureInfo.InvariantCulture)}") is { } resume
            && claimed.Add(("resume:" + resume.Kind, resume.Namespace, resume.Name)))
        {
            steps.Add(resume);
        }

        foreach (var (deletion, sha) in recreations.OrderBy(r => RollbackOrder.Rank(r.Deletion.Kind)).ThenBy(r => r.Deletion.Name, StringComparer.Ordinal))
        {
            var ns = deletion.Namespace ?? item.Namespace;
            if (claimed.Add(("original:" + deletion.Kind, ns, deletion.Name)))
            {
                steps.Add(new RollbackStep
                {
                    Id = NextId(),
                    Action = RollbackActions.RecreateOriginal,
                    Kind = deletion.Kind,
                    ApiVersion = deletion.ApiVersion,
                    Namespace = ns,
                    Name = deletion.Name,
                    BackupFile = deletion.BackupFile,
                    BackupSha256 = sha,
                    Reason = deletion.Reason,
                });
            }
        }

        var exportedItem = inputs.Export?.Items.FirstOrDefault(e => e.Namespace == item.Namespace && e.Name == item.Name);
        foreach (var (dependent, owner) in OwnersToRestore(layout, exportedItem?.OwnerReferencesFile, steps))
        {
            steps.Add(new RollbackStep
            {
                Id = NextId(),
                Action = RollbackActions.SetOwner,
                Kind = dependent.Kind,
                ApiVersion = dependent.ApiVersion,
                Namespace = dependent.Namespace,
                Name = dependent.Name,
                Owner = owner,
                Reason = $"the original had an ownerReference to {owner.Kind} {owner.Name} (uid {owner.OriginalUid}); pointed at the recreated one",
            });
        }

        foreach (var change in LabelsToRestore(item, inputs.Ledger))
        {
            if (labels.Add((change.Kind, change.Namespace, change.Name, change.Key)))
            {
                steps.Add(new RollbackStep
                {
                    Id = NextId(),
                    Action = RollbackActions.RestoreLabel,
                    Kind = change.Kind,
                    ApiVersion = change.ApiVersion,
                    Namespace = change.Namespace,
                    Name = change.Name,
                    LabelKey = change.Key,
                    LabelValue = change.From,
                    LabelAppliedValue = change.To,
                    Reason = change.Reason,
                });
            }
        }

        return result with { Steps = steps };
    }

    /// <summary>
    /// The cluster can no longer host the original when the DataScienceCluster has its serving stack Removed: a
    /// Serverless ISVC needs kserve.serving, a ModelMesh one needs modelmeshserving.
    /// </summary>
    public static string? HostingRefusal(PlanItem item, JsonObject? dsc)
    {
        if (dsc is null)
        {
            return null;
        }

        var components = dsc.At("spec", "components");
        var (field, state) = item.SourceMode switch
        {
            DeploymentMode.Serverless => ("spec.components.kserve.serving.managementState", components.At("kserve", "serving").Str("managementState")),
            DeploymentMode.ModelMesh => ("spec.components.modelmeshserving.managementState", components.At("modelmeshserving").Str("managementState")),
            _ => ("", null),
        };
        return state == "Removed"
            ? $"the cluster can no longer host the {item.SourceMode} original: DataScienceCluster {dsc.Name()} has {field} Removed (dsc-finalize ran); restore it (rollback restores the DSC/DSCI dsc-finalize changed; reinstall the operators it needs), then run rollback again"
            : null;
    }

    /// <summary>
    /// ownerReferences the recreated originals had (export's sidecar record; backups and recreated objects carry none, as
    /// the old owner uid is gone and the garbage collector would delete a dependent naming it) to an owner this plan also
    /// recreates: each becomes a set-owner step, run once both exist. References to owners not recreated are not put back.
    /// </summary>
    private static List<(RollbackStep Dependent, RollbackOwner Owner)> OwnersToRestore(WorkspaceLayout layout, string? ownersFile, List<RollbackStep> steps)
    {
        var result = new List<(RollbackStep, RollbackOwner)>();
        if (string.IsNullOrEmpty(ownersFile) || !File.Exists(layout.Absolute(ownersFile)))
        {
            return result;
        }

        if (JsonNode.Parse(File.ReadAllText(layout.Absolute(ownersFile))) is not JsonObject owners)
        {
            return result;
        }

        var recreated = steps.Where(s => s.Action == RollbackActions.RecreateOriginal).ToList();
        foreach (var dependent in recreated.Where(s => s.BackupFile is not null))
        {
            foreach (var reference in (owners[dependent.BackupFile!] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var owner = recreated.FirstOrDefault(s => s.Kind == reference.Str("kind") && s.Name == reference.Str("name") && s.Namespace == dependent.Namespace && s != dependent);
                if (owner is not null && reference.Str("uid") is { } uid)
                {
                    result.Add((dependent, new RollbackOwner(reference.Str("apiVersion") ?? owner.ApiVersion, owner.Kind, owner.Name, uid, owner.Id, dependent.Id,
                        (reference["controller"] as JsonValue)?.GetValue<bool>(), (reference["blockOwnerDeletion"] as JsonValue)?.GetValue<bool>())));
                }
            }
        }

        return result;
    }

    /// <summary>Originals apply deleted (in-place, ledger step done) or cleanup deleted (cleanup.json), each once.</summary>
    private static List<PlannedDeletion> OriginalsToRecreate(PlanItem item, LedgerItem record, CleanupReport? cleanup)
    {
        var result = new List<PlannedDeletion>();
        bool Same(PlannedDeletion d, string kind, string? ns, string name) => d.Kind == kind && d.Name == name && (d.Namespace ?? item.Namespace) == (ns ?? item.Namespace);
        foreach (var deletion in item.DeleteBeforeApply)
        {
            if (record.Steps.Any(s => s.Action == LedgerActions.DeleteOriginal && s.State == LedgerStepStates.Done && Same(deletion, s.Kind, s.Namespace, s.Name)))
            {
                result.Add(deletion);
            }
        }

        var cleaned = cleanup?.Items.FirstOrDefault(i => i.Namespace == item.Namespace && i.Name == item.Name);
        foreach (var obj in cleaned?.Objects.Where(o => CleanupDeleted.Contains(o.Outcome)) ?? [])
        {
            var deletion = item.DeleteOnCleanup.FirstOrDefault(d => Same(d, obj.Kind, obj.Namespace, obj.Name));
            if (deletion is not null && !result.Any(r => Same(r, deletion.Kind, deletion.Namespace, deletion.Name)))
            {
                result.Add(deletion);
            }
        }

        return result;
    }

    private sealed record Written(string Kind, string? ApiVersion, string? Namespace, string Name, string Uid, long Seq);

    /// <summary>Auth objects and token Secrets whose originals apply wrote over in place (it re-owns them to the replacement).</summary>
    private static readonly HashSet<string> RestorableByRecreation = ["ServiceAccount", "Role", "RoleBinding", "Secret"];

    /// <summary>
    /// Originals apply wrote over without deleting them (in-place: the same-named auth objects, which it re-owned to the
    /// replacement ISVC, so deleting that would take them along): each is deleted (its uid is the one apply's ledger
    /// recorded) and recreated from its export backup, which puts back exactly what was exported.
    /// </summary>
    private static List<PlannedDeletion> WrittenOver(PlanItem item, LedgerItem record, List<ExportedFile> exported, List<PlannedDeletion> recreated)
    {
        var result = new List<PlannedDeletion>();
        foreach (var step in DoneWrites(record).Where(s => RestorableByRecreation.Contains(s.Kind) || IsModelMeshIsvcWrittenOver(item, s)))
        {
            var file = exported.FirstOrDefault(f => f.Kind == step.Kind && f.Name == step.Name && (f.Namespace ?? item.Namespace) == step.Namespace);
            if (file is null || recreated.Any(r => r.Kind == step.Kind && r.Name == step.Name && (r.Namespace ?? item.Namespace) == step.Namespace)
                || result.Any(r => r.Kind == step.Kind && r.Name == step.Name && r.Namespace == step.Namespace))
            {
                continue;
            }

            result.Add(new PlannedDeletion(step.Kind, step.ApiVersion ?? "", step.Name, step.Namespace, "original written over by apply: recreated from its export backup", file.Path) { BackupSha256 = file.Sha256 });
        }

        return result;
    }

    /// <summary>
    /// ModelMesh in place: apply server-side-applies the RawDeployment ISVC over the same-named ModelMesh one (same uid,
    /// never deleted; cleanup finds it already replaced and leaves it), so the ISVC itself is an original written over:
    /// deleted by the uid the ledger recorded and recreated from its export backup.
    /// </summary>
    private static bool IsModelMeshIsvcWrittenOver(PlanItem item, LedgerStep step) =>
        item.SourceMode == DeploymentMode.ModelMesh && item.Strategy == Strategies.InPlace
        && step.Kind == "InferenceService" && step.Name == item.Name && step.Namespace == item.Namespace
        && !item.DeleteBeforeApply.Any(d => d.Kind == step.Kind && d.Name == step.Name && (d.Namespace ?? item.Namespace) == step.Namespace);

    private static IEnumerable<LedgerStep> DoneWrites(LedgerItem record) =>
        record.Steps.Where(s => s.Action is LedgerActions.Create or LedgerActions.Apply or LedgerActions.CopySecret && s.State == LedgerStepStates.Done && s.Uid is not null && s.Kind != "Namespace");

    /// <summary>
    /// Objects apply wrote for this item (its ledger's done writes, latest uid per object). An object of the same name as
    /// an original apply did not delete first was written over, not created: it is a replacement to delete only when it
    /// is recreated from its backup afterwards (<paramref name="overwritten"/>), never otherwise.
    /// </summary>
    private static List<Written> Replacements(PlanItem item, LedgerItem record, List<ExportedFile> exported, List<PlannedDeletion> overwritten)
    {
        var deletedByApply = record.Steps.Where(s => s.Action == LedgerActions.DeleteOriginal && s.State == LedgerStepStates.Done)
            .Select(s => (s.Kind, s.Namespace, s.Name)).ToHashSet();
        bool IsOriginal(string kind, string? ns, string name) =>
            item.DeleteOnCleanup.Any(d => d.Kind == kind && d.Name == name && (d.Namespace ?? item.Namespace) == ns)
            || item.DeleteBeforeApply.Any(d => d.Kind == kind && d.Name == name && (d.Namespace ?? item.Namespace) == ns)
            || item.Keep.Any(k => k.Kind == kind && k.Name == name && (k.Namespace ?? item.Namespace) == ns)
            || exported.Any(f => f.Kind == kind && f.Name == name && (f.Namespace ?? item.Namespace) == ns);
        return DoneWrites(record)
            .Where(s => !item.SecretKeyCopies.Any(c => s.Kind == "Secret" && c.Name == s.Name && c.TargetNamespace == s.Namespace))
            .Where(s => !IsOriginal(s.Kind, s.Namespace, s.Name) || deletedByApply.Contains((s.Kind, s.Namespace, s.Name))
                || overwritten.Any(o => o.Kind == s.Kind && o.Name == s.Name && o.Namespace == s.Namespace))
            .GroupBy(s => (s.Kind, s.Namespace, s.Name))
            .Select(g => g.OrderBy(s => s.Seq).Last())
            .Select(s => new Written(s.Kind, s.ApiVersion, s.Namespace, s.Name, s.Uid!, s.Seq))
            .ToList();
    }

    /// <summary>Labels apply actually changed (a done merge-labels step on that object) back to the value transform saw.</summary>
    private static IEnumerable<LabelChange> LabelsToRestore(PlanItem item, Ledger? ledger) =>
        item.LabelChanges.Where(c => ledger?.Items.Any(i => i.Steps.Any(s =>
            s.Action == LedgerActions.MergeLabels && s.State == LedgerStepStates.Done && s.Kind == c.Kind && s.Namespace == c.Namespace && s.Name == c.Name
            && s.PreviousLabels is { } previous && previous.ContainsKey(c.Key))) == true);

    /// <summary>
    /// DSC and DSCI restored from the backups dsc-finalize wrote, when a real run changed them (the first backup of each:
    /// a later run's is of the finalized object; see <see cref="DscRestoreSources"/>). A backup that is not
    /// the one finalize.json recorded refuses the step; so does a spec changed since dsc-finalize left it (the drift is
    /// listed), unless --force-dsc-restore was given.
    /// </summary>
    private static List<RollbackStep> ClusterSteps(RollbackInputs inputs, WorkspaceLayout layout)
    {
        var steps = new List<RollbackStep>();
        foreach (var source in DscRestoreSources.From(inputs.Finalize))
        {
            var kind = source.Kind == Kinds.DataScienceCluster.Kind ? Kinds.DataScienceCluster : Kinds.DSCInitialization;
            var (name, file, sha, changed) = (source.Name, source.BackupFile, source.BackupSha256, source.Changes);
            string? refusal = null;
            List<string>? drift = null;
            try
            {
                var backup = DscRestoreCheck.VerifiedBackup(layout, source);
                var live = inputs.FinalizedLive.FirstOrDefault(o => o.Kind() == kind.Kind && o.Name() == name);
                var fields = DscRestoreCheck.Drift(source, backup, live);
                if (fields.Count > 0)
                {
                    drift = fields;
                    refusal = inputs.ForceDscRestore ? null
                        : $"{kind.Kind} {name} changed since dsc-finalize left it ({string.Join("; ", fields)}); restoring {file} would revert that too: not restoring it (restore by hand, or run rollback with {RollbackOptions.ForceDscRestoreOption} to restore it anyway)";
                }
            }
            catch (ItemFailedException ex)
            {
                refusal = ex.Message;
            }

            var reason = "dsc-finalize changed " + string.Join(", ", changed.Select(c => $"{c.Field} {c.From ?? "(unset)"} -> {c.To}"));
            steps.Add(new RollbackStep
            {
                Id = $"_cluster#{(steps.Count + 1).ToString(CultureInfo.InvariantCulture)}",
                Action = RollbackActions.RestoreCluster,
                Kind = kind.Kind,
                ApiVersion = kind.ApiVersion,
                Name = name,
                BackupFile = file,
                BackupSha256 = sha,
                Drift = drift,
                Refusal = refusal,
                Reason = drift is not null && refusal is null ? $"{reason}; {RollbackOptions.ForceDscRestoreOption}: restored although changed since" : reason,
            });
        }

        return steps;
    }
}
