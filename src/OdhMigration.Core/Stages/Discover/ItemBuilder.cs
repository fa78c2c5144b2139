using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>Turns an ISVC with its mode and facts into an inventory item: eligibility, blockers, warnings, selection, all with reasons.</summary>
public static class ItemBuilder
{
    public static InventoryItem Build(JsonObject isvc, ModeResolution mode, IsvcFacts facts, DiscoverOptions options, LabelSelector selector)
    {
        var name = isvc.Name();
        var reasons = new List<string> { $"mode {mode.Mode} (from {mode.Source})" };
        var warnings = new List<string>();
        var blockers = Blockers(isvc, mode, facts);

        var maxName = NameLimits.MaxIsvcName(facts.HasTransformer, facts.HasExplainer);
        if (mode.Mode == DeploymentMode.Serverless && name.Length + NameLimits.RawSuffix.Length > maxName)
        {
            warnings.Add($"metadata.name is {name.Length} characters: with the '-raw' suffix it exceeds the {maxName}-character limit KServe's derived names allow; use --strategy in-place or new-namespace");
        }

        if (facts.GitOps is { } gitOps)
        {
            warnings.Add($"managed by {gitOps}: apply refuses it without --allow-gitops (the GitOps tool may recreate or revert what the migration changes)");
        }

        if (facts.RuntimeShared)
        {
            var more = facts.RuntimeSharedCount > facts.RuntimeSharedWith.Count ? $" and {facts.RuntimeSharedCount - facts.RuntimeSharedWith.Count} more" : "";
            warnings.Add($"ServingRuntime '{facts.Runtime}' is shared with {string.Join(", ", facts.RuntimeSharedWith)}{more}: migrate them together or keep the runtime until the last one has moved");
        }

        var migratable = DeploymentMode.IsMigratable(mode.Mode);
        var eligible = migratable && blockers.Count == 0;
        if (!migratable)
        {
            reasons.Add(mode.Mode == DeploymentMode.RawDeployment ? "not eligible: already RawDeployment" : $"not eligible: mode {mode.Mode}");
        }
        else if (blockers.Count > 0)
        {
            reasons.Add("not eligible: " + string.Join("; ", blockers));
        }

        var exclusion = eligible ? SelectionRules.Exclusion(isvc, mode.Mode, options, selector) : null;
        if (exclusion is not null)
        {
            reasons.Add(exclusion);
        }

        var selected = eligible && exclusion is null;
        if (selected)
        {
            reasons.Add("selected");
        }

        return new InventoryItem
        {
            Namespace = isvc.Namespace() ?? "",
            Name = name,
            Uid = isvc.Uid(),
            Mode = mode.Mode,
            ModeSource = mode.Source,
            Eligible = eligible,
            Selected = selected,
            Reasons = reasons,
            Facts = facts,
            Warnings = warnings,
            Blockers = blockers,
        };
    }

    private static List<string> Blockers(JsonObject isvc, ModeResolution mode, IsvcFacts facts)
    {
        var blockers = new List<string>();

        // Names the API server would refuse (possible only in a snapshot or a rehearsal) are never migrated: they
        // would also become workspace paths.
        if (KubernetesNames.Problem("Namespace", isvc.Namespace() ?? "") is { } nsProblem)
        {
            blockers.Add($"metadata.namespace '{KubernetesNames.Printable(isvc.Namespace() ?? "")}' {nsProblem}; the API server refuses such a name");
        }

        if (KubernetesNames.Problem("InferenceService", isvc.Name()) is { } nameProblem)
        {
            blockers.Add($"metadata.name '{KubernetesNames.Printable(isvc.Name())}' {nameProblem}; the API server refuses such a name");
        }

        if (facts.Runtime is { } runtimeName && KubernetesNames.Problem("ServingRuntime", runtimeName) is { } runtimeProblem)
        {
            blockers.Add($"spec.predictor.model.runtime '{KubernetesNames.Printable(runtimeName)}' {runtimeProblem}; the API server refuses such a name");
        }

        if (isvc.ApiVersion() != Kinds.InferenceService.ApiVersion)
        {
            blockers.Add($"apiVersion {isvc.ApiVersion()} is no longer served; only {Kinds.InferenceService.ApiVersion} can be migrated");
        }

        if (!DeploymentMode.IsMigratable(mode.Mode))
        {
            return blockers;
        }

        if (isvc.At("spec", "predictor") is not JsonObject)
        {
            blockers.Add("spec.predictor is missing or not a mapping");
        }
        else if (facts.Runtime is null)
        {
            blockers.Add(facts.ModelFormat is null
                ? "spec.predictor.model.runtime is not set and spec.predictor.model.modelFormat.name is missing, so no runtime can be chosen"
                : $"spec.predictor.model.runtime is not set and no ServingRuntime in namespace {isvc.Namespace()} auto-selects model format '{facts.ModelFormat}'");
        }
        else if (!facts.RuntimeExists)
        {
            blockers.Add($"spec.predictor.model.runtime names ServingRuntime '{facts.Runtime}', which does not exist in namespace {isvc.Namespace()}");
        }

        return blockers;
    }
}
