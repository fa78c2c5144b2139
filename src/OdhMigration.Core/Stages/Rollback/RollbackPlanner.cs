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
/// (by uid), recreate from verified backups the originals apply (in-place) or cleanup deleted, and put back the labels
/// apply changed. Pure: the same documents always give the same plan, so its sha256 can be approved.
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
            Cluster = ClusterSteps(inputs.Finalize, layout),
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

        foreach (var replacement in Replacements(item, record).OrderByDescending(r => RollbackOrder.Rank(r.Kind)).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
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

    /// <summary>
    /// Objects apply created for this item (its ledger's done writes, latest uid per object). An object of the same name as
    /// an original apply did not delete first was written over, not created, and is never a replacement to delete.
    /// </summary>
    private static List<Written> Replacements(PlanItem item, LedgerItem record)
    {
        var deletedByApply = record.Steps.Where(s => s.Action == LedgerActions.DeleteOriginal && s.State == LedgerStepStates.Done)
            .Select(s => (s.Kind, s.Namespace, s.Name)).ToHashSet();
        bool IsOriginal(string kind, string? ns, string name) =>
            item.DeleteOnCleanup.Any(d => d.Kind == kind && d.Name == name && (d.Namespace ?? item.Namespace) == ns)
            || item.DeleteBeforeApply.Any(d => d.Kind == kind && d.Name == name && (d.Namespace ?? item.Namespace) == ns)
            || item.Keep.Any(k => k.Kind == kind && k.Name == name && (k.Namespace ?? item.Namespace) == ns);
        return record.Steps
            .Where(s => s.Action is LedgerActions.Create or LedgerActions.Apply or LedgerActions.CopySecret && s.State == LedgerStepStates.Done && s.Uid is not null && s.Kind != "Namespace")
            .Where(s => !item.SecretKeyCopies.Any(c => s.Kind == "Secret" && c.Name == s.Name && c.TargetNamespace == s.Namespace))
            .Where(s => !IsOriginal(s.Kind, s.Namespace, s.Name) || deletedByApply.Contains((s.Kind, s.Namespace, s.Name)))
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

    /// <summary>DSC and DSCI restored from the backups dsc-finalize wrote, when its (real) run changed them.</summary>
    private static List<RollbackStep> ClusterSteps(FinalizeReport? finalize, WorkspaceLayout layout)
    {
        var steps = new List<RollbackStep>();
        if (finalize is null || finalize.DryRun)
        {
            return steps;
        }

        foreach (var kind in new[] { Kinds.DataScienceCluster, Kinds.DSCInitialization })
        {
            var changed = finalize.Changes.Where(c => c.Kind == kind.Kind).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            var name = changed[0].Name;
            var file = finalize.Backups.FirstOrDefault(b => Path.GetFileName(b) == $"{kind.Kind.ToLowerInvariant()}-{name}.yaml");
            string? sha = null;
            if (file is not null && File.Exists(layout.Absolute(file)))
            {
                sha = Hashing.Sha256Hex(File.ReadAllBytes(layout.Absolute(file)));
            }

            steps.Add(new RollbackStep
            {
                Id = $"_cluster#{(steps.Count + 1).ToString(CultureInfo.InvariantCulture)}",
                Action = RollbackActions.RestoreCluster,
                Kind = kind.Kind,
                ApiVersion = kind.ApiVersion,
                Name = name,
                BackupFile = file,
                BackupSha256 = sha,
                Reason = "dsc-finalize changed " + string.Join(", ", changed.Select(c => $"{c.Field} {c.From ?? "(unset)"} -> {c.To}")),
            });
        }

        return steps;
    }
}
