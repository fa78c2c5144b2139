using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.DscFinalize;

/// <summary>
/// dsc-finalize: the guide's sections 7-9 as one guarded step. Refuses while any InferenceService is still
/// Serverless or ModelMesh (changing the DSC first would strand them, and removing Knative/Service Mesh before
/// they are deleted leaves their finalizers hanging). Backs up DSC, DSCI and inferenceservice-config before any
/// change, sends minimal merge patches, and is a no-op the second time.
/// </summary>
public sealed class DscFinalizeEngine(ICluster cluster, IStageLog log, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(DscFinalizeOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        var expectedPlan = ApprovedSha256.Resolve(FinalizePlan.ExpectOption, options.ExpectFinalizePlanSha256, options.RequireGate, options.DryRun, FinalizePlan.FileName, log);

        // Earlier runs' backups stay on record whatever this run does: rollback restores from the first one.
        var earlier = await FinalizeHistory.ReadCarriedAsync(layout, ct).ConfigureAwait(false);

        // Every call below goes through the one retry layer; wrapping again on a second run replaces the policy, never nests it.
        cluster = new RetryingCluster(cluster, options.Retry, log);
        var (defaults, configMap, warnings) = await ClusterDefaultsReader.ReadAsync(cluster, ct).ConfigureAwait(false);
        var isvcs = await cluster.ListAsync(Kinds.InferenceService, null, null, ct).ConfigureAwait(false);
        var leftovers = Leftovers(isvcs, defaults.DefaultDeploymentMode);
        if (leftovers.Count > 0)
        {
            await WriteReportAsync(layout, new FinalizeReport { GeneratedAt = _clock.GetUtcNow(), DryRun = options.DryRun, Verdict = FinalizeVerdicts.Refused, Leftovers = leftovers, Warnings = warnings, EarlierRuns = earlier }, ct).ConfigureAwait(false);
            throw new PreconditionException(
                $"{leftovers.Count} InferenceService(s) are still Serverless or ModelMesh; migrate and delete them first (nothing was changed): "
                + string.Join(", ", leftovers.Select(l => $"{l.Namespace}/{l.Name} ({l.Mode}{(l.BeingDeleted ? ", being deleted" : "")})")));
        }

        var dsc = await SingleAsync(Kinds.DataScienceCluster, options.DscName, "--dsc", ct).ConfigureAwait(false);
        var dsci = await SingleAsync(Kinds.DSCInitialization, null, null, ct).ConfigureAwait(false);
        WarnAboutClusterDefault(configMap, isvcs, warnings);

        var dscPatch = dsc is null ? null : DscPatchPlanner.ForDsc(dsc);
        var dsciPatch = dsci is null ? null : DscPatchPlanner.ForDsci(dsci);
        var ignorelistPatch = options.HardwareProfileIgnorelist && configMap is not null ? HardwareProfileIgnorelist.Patch(configMap) : null;
        if (options.HardwareProfileIgnorelist && configMap is null)
        {
            throw new PreconditionException($"--hardware-profile-ignorelist: ConfigMap {ClusterDefaultsReader.ConfigMapName} not found in the applications namespace");
        }

        var servingState = dsc is null ? null : DscPatchPlanner.ApplyMergePatch(dsc, dscPatch!.Patch).At("spec", "components", "kserve", "serving").Str("managementState");
        var meshState = dsci is null ? null : DscPatchPlanner.ApplyMergePatch(dsci, dsciPatch!.Patch).At("spec", "serviceMesh").Str("managementState");
        var subscriptions = await cluster.ListAsync(Kinds.Subscription, null, null, ct).ConfigureAwait(false);
        var operators = OperatorAdvisor.Advise(subscriptions, servingState, meshState);

        // The gate: what this run would change, as a document; refused before the first change (or backup) when
        // it is not the one the approvers saw in the dry run.
        var planText = RenderPlan(options, dsc, dscPatch, dsci, dsciPatch, configMap, ignorelistPatch, operators);
        var planSha = FinalizePlan.Sha256(planText);
        if (expectedPlan is not null && !string.Equals(planSha, expectedPlan, StringComparison.Ordinal))
        {
            await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(layout.Root, FinalizePlan.RefusedFileName), planText, cancellationToken: ct).ConfigureAwait(false);
            throw new PreconditionException($"the finalize plan now has sha256 {planSha}, but {FinalizePlan.ExpectOption} is {expectedPlan}: the cluster or the options changed since the dry run was approved; nothing was changed (this plan is in {FinalizePlan.RefusedFileName}; run the dry run again and have it approved)");
        }

        await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(layout.Root, FinalizePlan.FileName), planText, cancellationToken: ct).ConfigureAwait(false);

        var changes = new List<FieldChange>();
        var backups = new List<BackupRecord>();
        var finalized = new List<FinalizedObject>();
        var anyChange = dscPatch is { IsEmpty: false } || dsciPatch is { IsEmpty: false } || ignorelistPatch is not null;
        if (anyChange)
        {
            backups = await BackupAsync(layout, [dsc, dsci, configMap], ct).ConfigureAwait(false);
        }

        if (dsc is not null && dscPatch is { IsEmpty: false })
        {
            var result = await PatchAsync(Kinds.DataScienceCluster, null, dsc, dscPatch.Patch, options.DryRun, ct).ConfigureAwait(false);
            changes.AddRange(dscPatch.Changes);
            Record(finalized, result, options.DryRun);
        }

        if (dsci is not null && dsciPatch is { IsEmpty: false })
        {
            var result = await PatchAsync(Kinds.DSCInitialization, null, dsci, dsciPatch.Patch, options.DryRun, ct).ConfigureAwait(false);
            changes.AddRange(dsciPatch.Changes);
            Record(finalized, result, options.DryRun);
        }

        if (configMap is not null && ignorelistPatch is not null)
        {
            await PatchAsync(Kinds.ConfigMap, configMap.Namespace(), configMap, ignorelistPatch, options.DryRun, ct).ConfigureAwait(false);
            changes.Add(new FieldChange("ConfigMap", configMap.Name(), "data.inferenceService.serviceAnnotationDisallowedList, metadata.annotations[opendatahub.io/managed]", null, "hardware-profile keys added, managed=false"));
            warnings.Add("restart Deployment kserve-controller-manager in the applications namespace so it reads the new inferenceservice-config");
        }

        var blockers = operators.Where(o => o.Operator == OperatorAdvisor.ServiceMesh2 && meshState == "Unmanaged")
            .Select(o => $"Service Mesh 2 is still installed ({o.Namespace}/{o.Subscription}) and DSCI serviceMesh is Unmanaged: upgrade to Service Mesh 3 before upgrading to 3.x")
            .ToList();

        if (options.UninstallOperators)
        {
            operators = await UninstallAsync(operators, options.DryRun, ct).ConfigureAwait(false);
        }

        var verdict = blockers.Count > 0 ? FinalizeVerdicts.Blocked : changes.Count == 0 && !operators.Any(o => o.Action.StartsWith("uninstalled", StringComparison.Ordinal)) ? FinalizeVerdicts.NoChange : FinalizeVerdicts.Done;
        var report = new FinalizeReport
        {
            GeneratedAt = _clock.GetUtcNow(),
            DryRun = options.DryRun,
            Verdict = verdict,
            Changes = changes,
            Backups = backups.Select(b => b.Path).ToList(),
            BackupFiles = backups,
            Finalized = finalized,
            EarlierRuns = earlier,
            Operators = operators,
            Blockers = blockers,
            Warnings = warnings,
        };
        var sha = await WriteReportAsync(layout, report, ct).ConfigureAwait(false);
        foreach (var warning in warnings)
        {
            log.Warn(warning);
        }

        foreach (var blocker in blockers)
        {
            log.Error(blocker);
        }

        var summary = verdict switch
        {
            FinalizeVerdicts.NoChange => "DataScienceCluster and DSCInitialization already finalized; nothing to change",
            _ => $"{(options.DryRun ? "dry run: would change" : "changed")} {changes.Count} field(s); {operators.Count(o => o.SafeToUninstall)} operator(s) safe to uninstall; {blockers.Count} blocker(s) left for the 3.x upgrade",
        };
        log.Info(summary);
        return new StageOutcome(blockers.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success, summary, new Dictionary<string, string>
        {
            ["changed"] = changes.Count.ToString(CultureInfo.InvariantCulture),
            ["blockers"] = blockers.Count.ToString(CultureInfo.InvariantCulture),
            ["finalize-sha256"] = sha,
            ["finalize-plan-sha256"] = planSha,
        });
    }

    private static string RenderPlan(DscFinalizeOptions options, JsonObject? dsc, DscPatchPlanner.PlannedPatch? dscPatch, JsonObject? dsci, DscPatchPlanner.PlannedPatch? dsciPatch, JsonObject? configMap, JsonObject? ignorelistPatch, List<OperatorAdvice> operators)
    {
        var targets = new List<FinalizePlan.Target>();
        var changes = new List<FieldChange>();
        if (dsc is not null && dscPatch is { IsEmpty: false })
        {
            targets.Add(new FinalizePlan.Target(Kinds.DataScienceCluster.Kind, dsc.Name(), null, dscPatch.Patch));
            changes.AddRange(dscPatch.Changes);
        }

        if (dsci is not null && dsciPatch is { IsEmpty: false })
        {
            targets.Add(new FinalizePlan.Target(Kinds.DSCInitialization.Kind, dsci.Name(), null, dsciPatch.Patch));
            changes.AddRange(dsciPatch.Changes);
        }

        if (configMap is not null && ignorelistPatch is not null)
        {
            targets.Add(new FinalizePlan.Target(Kinds.ConfigMap.Kind, configMap.Name(), configMap.Namespace(), ignorelistPatch));
        }

        var uninstall = options.UninstallOperators ? operators.Where(o => o.SafeToUninstall).ToList() : [];
        return FinalizePlan.Render(options, targets, changes, uninstall);
    }

    /// <summary>Every ISVC whose effective mode is still Serverless or ModelMesh, including ones stuck in deletion.</summary>
    public static List<LeftoverIsvc> Leftovers(IReadOnlyList<JsonObject> isvcs, string? clusterDefault) =>
        isvcs.Select(i => (Isvc: i, Mode: ModeResolution.Resolve(i, clusterDefault)))
            .Where(x => DeploymentMode.IsMigratable(x.Mode.Mode) || x.Mode.Mode == DeploymentMode.Unknown)
            .Select(x => new LeftoverIsvc(x.Isvc.Namespace() ?? "", x.Isvc.Name(), x.Mode.Mode, x.Mode.Source, x.Isvc.At("metadata", "deletionTimestamp") is not null))
            .OrderBy(l => l.Namespace, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal)
            .ToList();

    private async Task<JsonObject?> SingleAsync(ResourceKind kind, string? name, string? option, CancellationToken ct)
    {
        var all = await cluster.ListAsync(kind, null, null, ct).ConfigureAwait(false);
        if (name is not null)
        {
            return all.FirstOrDefault(o => o.Name() == name)
                ?? throw new UsageException($"{option} '{name}': no {kind.Kind} of that name (found: {string.Join(", ", all.Select(o => o.Name()))})");
        }

        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new UsageException($"{all.Count} {kind.Kind}s found ({string.Join(", ", all.Select(o => o.Name()))}); name the one to edit{(option is null ? "" : " with " + option)}"),
        };
    }

    private void WarnAboutClusterDefault(JsonObject? configMap, IReadOnlyList<JsonObject> isvcs, List<string> warnings)
    {
        if (configMap is null)
        {
            return;
        }

        var mode = ClusterDefaultsReader.ParseDefaultMode(configMap, []);
        var unannotated = isvcs.Where(i => i.Annotation(DeploymentMode.AnnotationKey) is null).Select(i => $"{i.Namespace()}/{i.Name()}").ToList();
        if (mode == DeploymentMode.Serverless && unannotated.Count > 0)
        {
            warnings.Add($"ConfigMap {configMap.Namespace()}/{configMap.Name()} still defaults to Serverless while {unannotated.Count} InferenceService(s) have no deploymentMode annotation ({string.Join(", ", unannotated.Take(10))}); annotate them RawDeployment so a default change cannot move them");
        }
    }

    /// <summary>Writes the backups; each with the sha256 of the text written, which rollback verifies before restoring from it.</summary>
    private async Task<List<BackupRecord>> BackupAsync(WorkspaceLayout layout, IEnumerable<JsonObject?> objects, CancellationToken ct)
    {
        var stamp = _clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var dir = Path.Combine(layout.ClusterFacts, "finalize-backup-" + stamp);

        // Never over an earlier run's backup (two runs within a second): finalize.json still vouches for its sha256.
        for (var n = 2; Directory.Exists(dir); n++)
        {
            dir = Path.Combine(layout.ClusterFacts, $"finalize-backup-{stamp}-{n.ToString(CultureInfo.InvariantCulture)}");
        }

        var written = new List<BackupRecord>();
        foreach (var obj in objects.OfType<JsonObject>())
        {
            var copy = obj.DeepCopy();
            ServerFields.StripForBackup(copy);
            var path = layout.ObjectFile(dir, copy.Kind()!, copy.Name(), copy.Namespace(), $"{copy.Kind()!.ToLowerInvariant()}-{copy.Name()}.yaml");
            var text = Yaml.Serialize(copy);
            await WorkspaceDocuments.WriteTextAtomicAsync(path, text, cancellationToken: ct).ConfigureAwait(false);
            written.Add(new BackupRecord(layout.Relative(path), Hashing.Sha256Hex(text)));
        }

        log.Info($"backed up {written.Count} object(s) to {layout.Relative(dir)}");
        return written;
    }

    /// <summary>What a real patch left: the spec the server answered with (a dry run leaves nothing).</summary>
    private static void Record(List<FinalizedObject> finalized, JsonObject result, bool dryRun)
    {
        if (!dryRun)
        {
            finalized.Add(new FinalizedObject(result.Kind()!, result.Name(), result["spec"]?.DeepClone() as JsonObject));
        }
    }

    private async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, JsonObject obj, JsonObject patch, bool dryRun, CancellationToken ct)
    {
        var result = await cluster.PatchAsync(kind, ns, obj.Name(), PatchKind.Merge, patch.ToJsonString(), new WriteOptions(DryRun: dryRun), ct).ConfigureAwait(false);

        // The server's answer is the truth (defaulting, webhooks): show exactly what it did or would do.
        foreach (var difference in JsonDiff.Leaves(obj["spec"] ?? obj["data"], result["spec"] ?? result["data"], obj["spec"] is null ? "data" : "spec"))
        {
            log.Info($"{(dryRun ? "dry run" : "applied")}: {kind.Kind} {obj.Name()}: {difference}");
        }

        return result;
    }

    private async Task<List<OperatorAdvice>> UninstallAsync(List<OperatorAdvice> operators, bool dryRun, CancellationToken ct)
    {
        var result = new List<OperatorAdvice>();
        foreach (var op in operators)
        {
            if (!op.SafeToUninstall)
            {
                result.Add(op);
                continue;
            }

            // Subscription first, so OLM does not reinstall the CSV we remove next.
            await cluster.DeleteAsync(Kinds.Subscription, op.Namespace, op.Subscription, new DeleteOptions(DryRun: dryRun), ct).ConfigureAwait(false);
            if (op.Csv is not null)
            {
                await cluster.DeleteAsync(Kinds.ClusterServiceVersion, op.Namespace, op.Csv, new DeleteOptions(DryRun: dryRun), ct).ConfigureAwait(false);
            }

            var action = dryRun ? "would be uninstalled (dry run)" : "uninstalled: Subscription then CSV deleted";
            log.Info($"{op.Operator}: {action}");
            result.Add(op with { Action = action });
        }

        return result;
    }

    private static Task<string> WriteReportAsync(WorkspaceLayout layout, FinalizeReport report, CancellationToken ct) =>
        WorkspaceDocuments.WriteAsync(layout.Finalize, report, FinalizeReportJsonContext.Default.FinalizeReport, ct);
}
