using System.Globalization;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Commands.DropIn;

/// <summary>
/// What serverless-to-raw and modelmesh-to-raw share: the default workspace, the refusal outside --dry-run while
/// this build has no apply stage, the planning chain with live progress, the report, the summary table and the
/// guide-style next steps.
/// </summary>
internal static class DropInRun
{
    public const string ApplyUnavailable = "apply stage not available in this build";

    /// <summary>Until apply, validate and cleanup are wired here, only --dry-run is honest: refuse the rest before touching anything.</summary>
    public static void RequireDryRun(string command, bool dryRun)
    {
        if (!dryRun)
        {
            throw new PreconditionException($"{command}: {ApplyUnavailable}; nothing was done. Run it with --dry-run to generate the manifests and next steps");
        }
    }

    /// <summary>--workspace (or $ODH_MIGRATION_WORKSPACE), else a fresh timestamped folder under the current directory.</summary>
    public static WorkspaceLayout Workspace(string? given, string prefix, IStageLog log)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new WorkspaceLayout(given);
        }

        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(Directory.GetCurrentDirectory(), $"{prefix}-{stamp}");
        for (var n = 2; Directory.Exists(path); n++)
        {
            path = Path.Combine(Directory.GetCurrentDirectory(), $"{prefix}-{stamp}-{n}");
        }

        Directory.CreateDirectory(path);
        log.Info($"workspace: {path} (give --workspace to choose another folder)");
        return new WorkspaceLayout(path);
    }

    /// <summary>The current context's namespace, as 'oc project' would show it; a usage error when there is none.</summary>
    public static string CurrentNamespace(StageInvocation run, string? kubeconfig, string? context)
    {
        if (run.SnapshotPath is not null)
        {
            throw new UsageException("-n <namespace> is required with --snapshot (a snapshot has no current project)");
        }

        try
        {
            var ns = new LiveClusterConnection(kubeconfig, context).BuildConfiguration().Namespace;
            return string.IsNullOrWhiteSpace(ns) ? throw new UsageException("-n <namespace> not given and the current kubeconfig context sets no namespace") : ns;
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new UsageException($"-n <namespace> not given and no current project could be read from the kubeconfig: {ex.Message}", ex);
        }
    }

    /// <summary>Runs the chain, writes the report, prints the table and <paramref name="dryRunText"/>, and returns the outcome.</summary>
    public static async Task<StageOutcome> PlanAsync(StageInvocation run, PlanningChainOptions options, WorkspaceLayout layout, Func<Plan, string> dryRunText, CancellationToken cancellationToken)
    {
        var cluster = run.ClusterReader();
        var result = await new PlanningChain(cluster, run.Log, ProgressRenderer.For(run.Stderr)).RunAsync(options, layout, cancellationToken).ConfigureAwait(false);
        var summary = string.Join("; ", result.Stages.Select(s => s.Outcome.Summary)) + $"; workspace {layout.Root}";
        var results = result.Stages.SelectMany(s => s.Outcome.Results).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        results["workspace"] = layout.Root;

        var (markdown, _) = await ReportLoader.WriteAsync(await ReportLoader.LoadAsync(layout, null, cancellationToken).ConfigureAwait(false), layout.Root, cancellationToken).ConfigureAwait(false);
        if (run.Output == "text")
        {
            run.Stdout.WriteLine();
            run.Stdout.Write(SummaryTable.Render(result.Inventory!, result.Plan));
            run.Stdout.WriteLine();
            if (result.Plan is { } plan)
            {
                run.Stdout.Write(dryRunText(plan));
            }

            run.Stdout.WriteLine($"Report: {markdown}");
            run.Stdout.WriteLine($"Without --dry-run this command refuses (exit 3): {ApplyUnavailable}.");
        }

        if (result.Inventory!.Items.All(i => !i.Selected))
        {
            return new StageOutcome(ExitCodes.PreconditionFailed, summary + "; nothing eligible to migrate, nothing generated", results);
        }

        var planned = result.Plan?.Items.Count(i => i.Status == "ok") ?? 0;
        return new StageOutcome(planned == 0 ? ExitCodes.PartialFailure : result.ExitCode, summary, results);
    }
}
