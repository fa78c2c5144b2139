using System.Globalization;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Commands.Run;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.DropIn;

/// <summary>
/// What serverless-to-raw and modelmesh-to-raw share: the default workspace, the planning chain with live progress
/// for --dry-run (report, summary table, guide-style next steps), and the gated migration otherwise.
/// </summary>
internal static class DropInRun
{
    /// <summary>
    /// Outside --dry-run: the same gated run as 'odh-migrate run' (plan gate, apply, validate, and the cleanup gate
    /// and cleanup only when <paramref name="deleteOriginals"/>), then the report and what is left to do.
    /// </summary>
    public static async Task<StageOutcome> MigrateAsync(StageInvocation run, CliIo io, string name, PlanningChainOptions options, WorkspaceLayout layout, bool yes, bool deleteOriginals, CancellationToken cancellationToken)
    {
        PlanningProblems.ThrowIfAny(options);
        if (File.Exists(layout.Ledger) || File.Exists(LedgerStore.JournalPath(layout.Ledger)))
        {
            throw new PreconditionException($"{layout.Root} already holds an apply ledger; continue it with 'odh-migrate run --resume --workspace {layout.Root}', or use a fresh --workspace");
        }

        var cluster = run.ClusterWriter();
        var gate = new ApprovalGate(io.Input, io.Stdout, io.HasTerminal, yes ? ApprovalGate.All.ToHashSet() : [], "--yes");
        var settings = new MigrationRunSettings(name, options, new ApplyOptions(), new ValidateOptions(), new CleanupOptions(), RunCleanup: deleteOriginals);
        var outcome = await new MigrationRun(cluster, layout, run.Log, io.Stdout, gate, ProgressRenderer.For(run.Stderr)).RunAsync(settings, cancellationToken).ConfigureAwait(false);
        if (run.Output == "text" && outcome.ExitCode == ExitCodes.Success && !deleteOriginals)
        {
            run.Stdout.WriteLine();
            run.Stdout.WriteLine("The originals are still running. Once you are satisfied with the replacements, delete them with:");
            run.Stdout.WriteLine($"  odh-migrate cleanup --workspace {layout.Root}");
        }

        return outcome;
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
        PlanningProblems.ThrowIfAny(options);
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
            run.Stdout.WriteLine("Run again without --dry-run to apply: a plan gate and a cleanup gate ask before anything changes.");
        }

        if (result.Inventory!.Items.All(i => !i.Selected))
        {
            return new StageOutcome(ExitCodes.PreconditionFailed, summary + "; nothing eligible to migrate, nothing generated", results);
        }

        var planned = result.Plan?.Items.Count(i => i.Status == ItemStatuses.Ok) ?? 0;
        return new StageOutcome(planned == 0 ? ExitCodes.PartialFailure : result.ExitCode, summary, results);
    }
}
