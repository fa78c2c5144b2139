using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Chain;

public sealed record PlanningChainOptions(DiscoverOptions Discover, ExportOptions Export, TransformOptions Transform);

/// <summary>The three read-only stages' outcomes and documents; Plan is null when a stage before transform stopped the chain.</summary>
public sealed record PlanningChainResult(IReadOnlyList<(string Stage, StageOutcome Outcome)> Stages, Inventory? Inventory, Plan? Plan)
{
    public int ExitCode => Stages.Count == 0 ? ExitCodes.Success : Stages.Max(s => s.Outcome.ExitCode);
}

/// <summary>
/// discover -> export -> transform on one cluster reader, reporting per stage and per InferenceService. Nothing here
/// writes to a cluster, so rehearse and dry-run commands share it. A stage that selects nothing stops the chain:
/// there is nothing for the next one to do.
/// </summary>
public sealed class PlanningChain(IClusterReader cluster, IStageLog log, IProgressSink progress)
{
    public async Task<PlanningChainResult> RunAsync(PlanningChainOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        var stages = new List<(string, StageOutcome)>();

        progress.Report(new ProgressEvent("discover", null, "scanning " + (options.Discover.AllNamespaces ? "all namespaces" : string.Join(", ", options.Discover.Namespaces))));
        var (discovered, inventory) = await new DiscoverEngine(cluster, log).RunAsync(options.Discover, layout, cancellationToken).ConfigureAwait(false);
        stages.Add(("discover", discovered));
        var selected = inventory.Items.Count(i => i.Selected);
        foreach (var (item, index) in inventory.Items.Select((item, index) => (item, index)))
        {
            progress.Report(new ProgressEvent("discover", $"{item.Namespace}/{item.Name}", $"{item.Mode}, {(item.Selected ? "selected" : item.Eligible ? "not selected" : "not eligible")}", index + 1, inventory.Items.Count));
        }

        progress.Report(new ProgressEvent("discover", null, discovered.Summary, StageFinished: true));
        if (discovered.ExitCode != ExitCodes.Success || selected == 0)
        {
            return new PlanningChainResult(stages, inventory, null);
        }

        progress.Report(new ProgressEvent("export", null, $"saving {selected} InferenceService(s) and what they depend on"));
        var exported = await new ExportEngine(cluster, log).RunAsync(options.Export, layout, cancellationToken).ConfigureAwait(false);
        stages.Add(("export", exported));
        var anyExported = await ReportExportAsync(layout, cancellationToken).ConfigureAwait(false);
        progress.Report(new ProgressEvent("export", null, exported.Summary, StageFinished: true));
        if (!anyExported)
        {
            return new PlanningChainResult(stages, inventory, null);
        }

        progress.Report(new ProgressEvent("transform", null, "building RawDeployment manifests"));
        var planned = await new TransformEngine(log, TransformerCatalog.All).RunAsync(options.Transform, layout, cancellationToken).ConfigureAwait(false);
        stages.Add(("transform", planned));
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(layout, cancellationToken).ConfigureAwait(false);
        foreach (var (item, index) in plan.Items.Select((item, index) => (item, index)))
        {
            var message = item.Status == ItemStatuses.Ok ? $"{item.Strategy} -> {item.TargetNamespace}/{item.TargetName}" : $"refused: {item.Error}";
            progress.Report(new ProgressEvent("transform", $"{item.Namespace}/{item.Name}", message, index + 1, plan.Items.Count));
        }

        progress.Report(new ProgressEvent("transform", null, planned.Summary, StageFinished: true));
        return new PlanningChainResult(stages, inventory, plan);
    }

    /// <summary>
    /// Per-item progress from export.json, read in its own method: a local of the chain's async method would live
    /// on in its state machine through transform, and at 10,000 ISVCs the report is tens of megabytes.
    /// </summary>
    private async Task<bool> ReportExportAsync(WorkspaceLayout layout, CancellationToken cancellationToken)
    {
        var (export, _) = await WorkspaceDocuments.ReadExportAsync(layout, cancellationToken).ConfigureAwait(false);
        foreach (var (item, index) in export.Items.Select((item, index) => (item, index)))
        {
            progress.Report(new ProgressEvent("export", $"{item.Namespace}/{item.Name}", item.Status == ItemStatuses.Ok ? $"{item.Files.Count} file(s) saved" : $"failed: {item.Error}", index + 1, export.Items.Count));
        }

        return export.Items.Any(i => i.Status == ItemStatuses.Ok);
    }
}
