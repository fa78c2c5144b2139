using System.Globalization;
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
        UsageProblems.ThrowIfAny(options.Problems());
        var selector = LabelSelector.Parse(options.Selector);
        var source = RetryingCluster.Over(cluster, options.Retry, log);
        var (defaults, _, warnings) = await ClusterDefaultsReader.ReadAsync(source, cancellationToken).ConfigureAwait(false);
        warnings.ForEach(log.Warn);
        var scan = await NamespaceScan.ReadAsync(source, options, cancellationToken).ConfigureAwait(false);

        var items = new List<InventoryItem>();
        foreach (var ns in scan.Namespaces)
        {
            items.AddRange(DiscoverNamespace(ns, scan, options, defaults, selector));
            log.Info($"namespace {ns}: {scan.IsvcsIn(ns).Count} InferenceService(s), {scan.RuntimesIn(ns).Count} ServingRuntime(s)");
            if (scan.Predictors.TryGetValue(ns, out var predictors) && predictors.Count > 0)
            {
                warnings.Add($"namespace {ns} holds {predictors.Count} ModelMesh Predictor object(s) (serving.kserve.io/v1alpha1): {string.Join(", ", predictors.Select(p => p.Name()).Order(StringComparer.Ordinal).Take(20))}; "
                    + "Predictors are not InferenceServices and are not migrated: recreate each as an InferenceService (spec.modelType -> modelFormat, spec.path -> storage.path, spec.storage.s3.secretKey -> storage.key) before the 3.x upgrade removes ModelMesh");
                log.Warn(warnings[^1]);
            }
        }

        var unmatched = SelectionRules.Unmatched(options.Select, items);
        if (unmatched.Count > 0)
        {
            throw new UsageException($"--select names InferenceService(s) not found in scope: {string.Join(", ", unmatched)}");
        }

        foreach (var entry in SelectionRules.Unmatched(options.Exclude, items))
        {
            warnings.Add($"--exclude {entry}: no InferenceService of that name in scope");
            log.Warn(warnings[^1]);
        }

        foreach (var item in items.Where(i => !i.Eligible && options.Select.Any(e => SelectionRules.Names(e, i.Namespace, i.Name))))
        {
            warnings.Add($"{item.Namespace}/{item.Name} is named in --select but is not eligible: {string.Join("; ", item.Blockers.DefaultIfEmpty($"mode {item.Mode}"))}");
            log.Warn(warnings[^1]);
        }

        if (options.Picker is { } picker)
        {
            items = await PickAsync(picker, items, cancellationToken).ConfigureAwait(false);
        }

        var preflight = await PreflightAsync(source, options, items, warnings, cancellationToken).ConfigureAwait(false);
        var inventory = new Inventory
        {
            GeneratedAt = _clock.GetUtcNow(),
            Source = new SourceInfo(source.BackingType, source.Description),
            Scope = new DiscoverScope
            {
                Namespaces = scan.Namespaces.ToList(),
                AllNamespaces = options.AllNamespaces,
                Mode = options.Mode,
                Select = options.Select.ToList(),
                Selector = options.Selector,
                Exclude = options.Exclude.ToList(),
            },
            Cluster = defaults,
            Items = items,
            Warnings = warnings,
            Preflight = preflight,
        };

        var sha = await WorkspaceDocuments.WriteAsync(layout.Inventory, inventory, InventoryJsonContext.Default.Inventory, cancellationToken).ConfigureAwait(false);
        var selected = items.Count(i => i.Selected);
        var eligible = items.Count(i => i.Eligible);
        var summary = $"discovered {items.Count} InferenceService(s) in {scan.Namespaces.Count} namespace(s): {eligible} eligible, {selected} selected";
        log.Info(summary);
        var results = new Dictionary<string, string>
        {
            ["discovered"] = items.Count.ToString(CultureInfo.InvariantCulture),
            ["eligible"] = eligible.ToString(CultureInfo.InvariantCulture),
            ["selected"] = selected.ToString(CultureInfo.InvariantCulture),
            ["blocked"] = items.Count(i => i.Blockers.Count > 0).ToString(CultureInfo.InvariantCulture),
            ["inventory-sha256"] = sha,
        };
        return (new StageOutcome(ExitCodes.Success, summary, results), inventory);
    }

    private List<InventoryItem> DiscoverNamespace(string ns, NamespaceScan scan, DiscoverOptions options, ClusterDefaults defaults, LabelSelector selector)
    {
        var runtimes = scan.RuntimesIn(ns);
        var resolved = new List<(JsonObject Isvc, ModeResolution Mode, RuntimeResolver.Resolution Runtime)>();
        var items = new List<InventoryItem>();
        foreach (var isvc in scan.IsvcsIn(ns).OrderBy(i => i.Name(), StringComparer.Ordinal))
        {
            try
            {
                var mode = ModeResolution.Resolve(isvc, defaults.DefaultDeploymentMode);
                resolved.Add((isvc, mode, RuntimeResolver.Resolve(isvc, runtimes, mode.Mode)));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // A malformed object (a field of the wrong type) blocks only itself.
                items.Add(Unreadable(isvc, ex));
            }
        }

        // Which ISVCs use each runtime, computed once: O(n), not a scan per ISVC.
        var usersByRuntime = resolved.Where(r => r.Runtime.Runtime is not null)
            .GroupBy(r => r.Runtime.Runtime!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Isvc.Name()).ToList(), StringComparer.Ordinal);

        foreach (var (isvc, mode, runtime) in resolved)
        {
            try
            {
                var users = runtime.Runtime is not null ? usersByRuntime.GetValueOrDefault(runtime.Runtime) ?? [] : [];

                // Names are capped: listing every other user of a runtime serving thousands of ISVCs would make the
                // inventory grow with the square of the namespace size.
                var sharedWith = users.Where(u => u != isvc.Name()).Take(IsvcFactsReader.SharedWithLimit).ToList();
                var sharedCount = Math.Max(0, users.Count - 1); // the ISVC itself is one of the users
                var facts = IsvcFactsReader.Read(isvc, mode.Mode, runtime, sharedWith, sharedCount);
                items.Add(ItemBuilder.Build(isvc, mode, facts, options, selector));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                items.Add(Unreadable(isvc, ex));
            }
        }

        return items.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    private InventoryItem Unreadable(JsonObject isvc, Exception ex)
    {
        var blocker = $"cannot be read: {PlainErrors.Describe(ex)}";
        log.Warn($"InferenceService {isvc.Namespace()}/{isvc.Name()} {blocker}");
        return new InventoryItem
        {
            Namespace = isvc.Namespace() ?? "",
            Name = isvc.Name(),
            Uid = isvc.Uid(),
            ModeSource = "unreadable",
            Reasons = ["not eligible: " + blocker],
            Blockers = [blocker],
        };
    }

    private static async Task<List<InventoryItem>> PickAsync(SelectionPicker picker, List<InventoryItem> items, CancellationToken cancellationToken)
    {
        var candidates = items.Where(i => i.Selected).ToList();
        var chosen = await picker(candidates, cancellationToken).ConfigureAwait(false)
            ?? throw new PreconditionException("cancelled: nothing selected, no inventory written");
        var keep = chosen.Where(i => i >= 0 && i < candidates.Count).Select(i => candidates[i]).ToHashSet();
        return items.Select(item =>
        {
            if (!item.Selected || keep.Contains(item))
            {
                return item;
            }

            var reasons = item.Reasons.Where(r => r != "selected").Append("not selected: not picked interactively").ToList();
            return item with { Selected = false, Reasons = reasons };
        }).ToList();
    }

    private async Task<List<PreflightCheck>> PreflightAsync(IClusterReader source, DiscoverOptions options, List<InventoryItem> items, List<string> warnings, CancellationToken cancellationToken)
    {
        if (options.SkipPreflight)
        {
            return [];
        }

        if (source is not ICluster live)
        {
            warnings.Add($"pre-flight permission checks skipped: {source.Description} is not a live cluster; they run when discover reads a cluster");
            log.Info(warnings[^1]);
            return [];
        }

        var namespaces = items.Where(i => i.Selected).Select(i => i.Namespace).ToHashSet(StringComparer.Ordinal);
        if (namespaces.Count == 0)
        {
            return [];
        }

        var (checks, unanswered) = await PreflightChecker.RunAsync(live, namespaces, cancellationToken).ConfigureAwait(false);
        if (unanswered.Count > 0)
        {
            // Advice, not a gate: discover goes on, and says exactly what it could not check.
            var reasons = string.Join("; ", unanswered.Select(u => u.Error).Distinct(StringComparer.Ordinal).Take(3));
            warnings.Add(checks.Count == 0
                ? $"pre-flight permission checks could not be completed (SelfSubjectAccessReview: {reasons}); nothing was checked, later stages will find out as they go"
                : $"pre-flight could not check {unanswered.Count} of {unanswered.Count + checks.Select(c => (c.Verb, c.Resource, c.Namespace)).Distinct().Count()} permission(s): {string.Join(", ", unanswered.Select(u => u.Question))} (SelfSubjectAccessReview: {reasons}); later stages will find out as they go");
            log.Warn(warnings[^1]);
        }

        foreach (var refusal in PreflightChecker.Refusals(checks))
        {
            warnings.Add(refusal);
            log.Warn(refusal);
        }

        foreach (var warning in PreflightChecker.OptionalWarnings(checks))
        {
            warnings.Add(warning);
            log.Warn(warning);
        }

        return checks;
    }
}
