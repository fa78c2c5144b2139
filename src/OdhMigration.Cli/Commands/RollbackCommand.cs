using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

public static class RollbackCommand
{
    public const string Description = "Reverse a migration from the workspace: delete the replacements apply's ledger recorded (by uid), recreate the originals apply or cleanup deleted from their verified backups, restore labels and, after dsc-finalize, the DSC/DSCI; --dry-run writes rollback-plan.json to approve.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var command = new Command("rollback", Description);
        var dryRun = ExecutionOptions.DryRun();
        var requireGate = GateOptions.RequireGate();
        var expectRollback = GateOptions.ExpectSha256(command, RollbackOptions.ExpectOption, "Refuse (exit 3) unless the rollback plan (rollback-plan.json, written by --dry-run) has this sha256 (what the approval gate saw)", requireGate, WorkspaceLayout.RollbackPlanFile);
        var timeout = ExecutionOptions.Timeout();
        var forceDscRestore = RollbackChoiceOptions.ForceDscRestore();

        common.AddTo(command);
        foreach (var option in new Option[] { dryRun, expectRollback, requireGate, timeout, forceDscRestore })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("rollback", parse, common, io.Stdout, io.Stderr), async (run, token) =>
        {
            var layout = run.Workspace();
            var defaults = new RollbackOptions();
            var options = defaults with
            {
                DryRun = run.Get(dryRun),
                ExpectRollbackSha256 = run.Get(expectRollback),
                RequireGate = run.Get(requireGate),
                ForceDscRestore = run.Get(forceDscRestore),
                Timeout = ExecutionOptions.Seconds(run.Get(timeout), defaults.Timeout),
            };
            UsageProblems.ThrowIfAny(options.Problems());
            var outcome = await new RollbackEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token).ConfigureAwait(false);
            return await WithGateSummaryAsync(outcome, layout, token).ConfigureAwait(false);
        }, ct));
        return command;
    }

    /// <summary>
    /// The rollback gate's compact text as one more result (rollback-summary), from the rollback-plan.json this run
    /// wrote: the Tekton ApprovalTask's description and the GitHub job summary show it beside the plan's sha256.
    /// </summary>
    private static async Task<StageOutcome> WithGateSummaryAsync(StageOutcome outcome, WorkspaceLayout layout, CancellationToken ct)
    {
        if (await RollbackGateSummary.ReadAsync(layout, ct).ConfigureAwait(false) is not { } summary)
        {
            return outcome;
        }

        var results = new Dictionary<string, string>(outcome.Results, StringComparer.Ordinal) { [RollbackGateSummary.Result] = summary };
        return outcome with { Results = results };
    }
}
