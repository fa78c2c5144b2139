using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.DropIn;

/// <summary>
/// odh-migrate serverless-to-raw: the upstream script's command line mapped onto the stages, without its prompts.
/// Every eligible Serverless ISVC of the namespace is taken (or --select); side-by-side with the -raw suffix by
/// default, --original-names for in-place (the script's naming question).
/// </summary>
public static class ServerlessToRawCommand
{
    public const string Description = "Drop-in for serverless-to-raw.sh: migrate the Serverless InferenceServices of one namespace to RawDeployment (discover, export, transform, gated apply and validate, cleanup with --delete-existing; --dry-run only writes the files and prints the next steps).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = ScopeOptions.Namespace();
        var dryRun = ExecutionOptions.DryRun();
        var deleteExisting = new Option<bool>("--delete-existing") { Description = "Delete the originals once the replacements are validated (not with --dry-run)" };
        var originalNames = new Option<bool>("--original-names") { Description = "Replace in place under the original names (raw-original-names/) instead of side-by-side with the -raw suffix (raw/)" };
        var yes = GateOptions.Yes();
        var select = SelectionOptions.Select();

        var command = new Command("serverless-to-raw", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { ns, dryRun, deleteExisting, originalNames, select, yes })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("serverless-to-raw", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            if (run.Get(dryRun) && (run.Get(deleteExisting) || run.Get(yes)))
            {
                throw new UsageException("--delete-existing and --yes cannot be combined with --dry-run (a dry run changes nothing)");
            }

            var namespaceName = ScopeOptions.Single(run.Get(ns)) ?? DropInRun.CurrentNamespace(run, run.Get(common.Kubeconfig), run.Get(common.Context));
            var layout = DropInRun.Workspace(run.Get(common.Workspace), "odh-serverless-to-raw", run.Log);
            var options = new PlanningChainOptions(
                new DiscoverOptions { Namespaces = [namespaceName], Mode = "serverless", Select = OptionParsing.NameList(run.Get(select)) },
                new ExportOptions(),
                new TransformOptions { Strategy = run.Get(originalNames) ? Strategies.InPlace : Strategies.SideBySide });
            return run.Get(dryRun)
                ? DropInRun.PlanAsync(run, options, layout, plan => DryRunGuide.NextSteps(layout, plan), token)
                : DropInRun.MigrateAsync(run, io, "serverless-to-raw", options, layout, run.Get(yes), run.Get(deleteExisting), token);
        }, ct));
        return command;
    }
}
