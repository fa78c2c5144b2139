using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>
/// discover: finds every InferenceService in scope, decides its effective mode, gathers facts and selects what to
/// migrate. Lists each kind once per namespace and joins in memory, so the number of API calls does not grow with
/// the number of ISVCs.
/// </summary>
public sealed class DiscoverEngine(IClusterReader cluster, IStageLog log, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<(StageOutcome Outcome, Inventory Inventory)> RunAsync(DiscoverOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        Validate(options);
        var (defaults, _, warnings) = await ClusterDefaultsReader.ReadAsync(cluster, cancellationToken).ConfigureAwait(false);
        warnings.ForEach(log.Warn);
        var namespaces = await ResolveNamespacesAsync(options, cancellationToken).ConfigureAwait(false);

        var items = new List<InventoryItem>();
        foreach (var ns in namespaces)
        {
            items.AddRange(await DiscoverNamespaceAsync(ns, options, defaults, cancellationToken).ConfigureAwait(false));
        }

        CheckSelectionNamesExist(options, items);
        var inventory = new Inventory
        {
            GeneratedAt = _clock.GetUtcNow(),
            Source = new SourceInfo(cluster.BackingType, cluster.Description),
            Scope = new DiscoverScope
            {
                Namespaces = namespaces.ToList(),
                AllNamespaces = options.AllNamespaces,
                Mode = options.Mode,
                Select = options.Select.ToList(),
                Selector = options.Selector,
                Exclude = options.Exclude.ToList(),
            },
            Cluster = defaults,
            Items = items,
            Warnings = warnings,
        };

        var sha = await WorkspaceDocuments.WriteAsync(layout.Inventory, inventory, InventoryJsonContext.Default.Inventory, cancellationToken).ConfigureAwait(false);
        var selected = items.Count(i => i.Selected);
        var eligible = items.Count(i => i.Eligible);
        var summary = $"discovered {items.Count} InferenceService(s) in {namespaces.Count} namespace(s): {eligible} eligible, {selected} selected";
        log.Info(summary);
        var results = new Dictionary<string, string>
        {
            ["discovered"] = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["eligible"] = eligible.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["selected"] = selected.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["inventory-sha256"] = sha,
        };
        return (new StageOutcome(ExitCodes.Success, summary, results), inventory);
    }

    private static void Validate(DiscoverOptions options)
    {
        if (options.AllNamespaces && options.Namespaces.Count > 0)
        {
            throw new UsageException("--namespace and --all-namespaces cannot be combined");
        }

        if (!options.AllNamespaces && options.Namespaces.Count == 0)
        {
            throw new UsageException("give --namespace <ns> (repeatable) or --all-namespaces");
        }

        if (options.Mode is not ("all" or "serverless" or "modelmesh"))
        {
            throw new UsageException($"--mode '{options.Mode}': expected serverless, modelmesh or all");
        }

        foreach (var ns in options.Namespaces)
        {
            if (!NameLimits.IsDns1123Label(ns))
            {
                throw new UsageException($"--namespace '{ns}': not a valid namespace name (DNS-1123 label)");
            }
        }

        try
        {
            LabelSelector.Parse(options.Selector);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--selector: {ex.Message}", ex);
        }
    }

    private async Task<IReadOnlyList<string>> ResolveNamespacesAsync(DiscoverOptions options, CancellationToken cancellationToken)
    {
        if (options.AllNamespaces)
        {
            // One cluster-wide list; namespaces without ISVCs are not interesting to later stages.
            var all = await cluster.ListAsync(Kinds.InferenceService, null, null, cancellationToken).ConfigureAwait(false);
            return all.Select(i => i.Namespace()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        var result = new List<string>();
        foreach (var ns in options.Namespaces.Distinct(StringComparer.Ordinal))
        {
            if (await cluster.GetAsync(Kinds.Namespace, null, ns, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new UsageException($"namespace '{ns}' does not exist ({cluster.Description})");
            }

            result.Add(ns);
        }

        return result;
    }

    private async Task<List<InventoryItem>> DiscoverNamespaceAsync(string ns, DiscoverOptions options, ClusterDefaults defaults, CancellationToken cancellationToken)
    {
        var isvcs = await cluster.ListAsync(Kinds.InferenceService, ns, null, cancellationToken).ConfigureAwait(false);
        var runtimes = await cluster.ListAsync(Kinds.ServingRuntime, ns, null, cancellationToken).ConfigureAwait(false);
        var selector = LabelSelector.Parse(options.Selector);

        var resolved = isvcs
            .OrderBy(i => i.Name(), StringComparer.Ordinal)
            .Select(isvc =>
            {
                var mode = ModeResolution.Resolve(isvc, defaults.DefaultDeploymentMode);
                return (Isvc: isvc, Mode: mode, Runtime: RuntimeResolver.Resolve(isvc, runtimes, mode.Mode));
            })
            .ToList();

        var items = new List<InventoryItem>();
        foreach (var (isvc, mode, runtime) in resolved)
        {
            var sharedWith = runtime.Runtime is null
                ? []
                : resolved.Where(r => r.Isvc.Name() != isvc.Name() && r.Runtime.Runtime == runtime.Runtime).Select(r => r.Isvc.Name()).ToList();
            var facts = IsvcFactsReader.Read(isvc, mode.Mode, runtime, sharedWith);
            items.Add(BuildItem(isvc, mode, facts, options, selector));
        }

        log.Info($"namespace {ns}: {items.Count} InferenceService(s), {runtimes.Count} ServingRuntime(s)");
        return items;
    }

    private static InventoryItem BuildItem(JsonObject isvc, ModeResolution mode, IsvcFacts facts, DiscoverOptions options, LabelSelector selector)
    {
        var name = isvc.Name();
        var reasons = new List<string> { $"mode {mode.Mode} (from {mode.Source})" };
        var warnings = new List<string>();
        var blockers = new List<string>();

        if (isvc.ApiVersion() != Kinds.InferenceService.ApiVersion)
        {
            blockers.Add($"apiVersion {isvc.ApiVersion()} is no longer served; only {Kinds.InferenceService.ApiVersion} can be migrated");
        }

        if (DeploymentMode.IsMigratable(mode.Mode))
        {
            if (facts.Runtime is null)
            {
                blockers.Add($"spec.predictor.model.runtime is not set and no ServingRuntime in the namespace auto-selects model format '{facts.ModelFormat ?? "(none)"}'");
            }
            else if (!facts.RuntimeExists)
            {
                blockers.Add($"ServingRuntime '{facts.Runtime}' named in spec.predictor.model.runtime does not exist in namespace {isvc.Namespace()}");
            }
        }

        var maxName = NameLimits.MaxIsvcName(facts.HasTransformer, facts.HasExplainer);
        if (mode.Mode == DeploymentMode.Serverless && name.Length + NameLimits.RawSuffix.Length > maxName)
        {
            warnings.Add($"name is {name.Length} characters: with the '-raw' suffix it exceeds the {maxName}-character limit KServe's derived names allow; use --strategy in-place or new-namespace");
        }

        if (facts.GitOps is { } gitOps)
        {
            warnings.Add($"managed by {gitOps}: apply refuses it without --allow-gitops (the GitOps tool may recreate or revert what the migration changes)");
        }

        var eligible = DeploymentMode.IsMigratable(mode.Mode) && blockers.Count == 0;
        if (!DeploymentMode.IsMigratable(mode.Mode))
        {
            reasons.Add("not eligible: already RawDeployment or mode unknown");
        }
        else if (blockers.Count > 0)
        {
            reasons.Add("not eligible: " + string.Join("; ", blockers));
        }

        var selected = eligible && Selects(name, isvc, mode.Mode, options, selector, reasons);
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

    private static bool Selects(string name, JsonObject isvc, string mode, DiscoverOptions options, LabelSelector selector, List<string> reasons)
    {
        if (options.Mode != "all" && !string.Equals(options.Mode, mode, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add($"not selected: --mode {options.Mode}");
            return false;
        }

        if (options.Select.Count > 0 && !options.Select.Contains(name))
        {
            reasons.Add("not selected: not named in --select");
            return false;
        }

        if (options.Exclude.Contains(name))
        {
            reasons.Add("not selected: named in --exclude");
            return false;
        }

        if (!selector.Matches(isvc.Labels()))
        {
            reasons.Add($"not selected: labels do not match --selector {options.Selector}");
            return false;
        }

        return true;
    }

    private static void CheckSelectionNamesExist(DiscoverOptions options, List<InventoryItem> items)
    {
        var known = items.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var missing = options.Select.Where(n => !known.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"--select names InferenceService(s) not found in scope: {string.Join(", ", missing)}");
        }
    }
}
