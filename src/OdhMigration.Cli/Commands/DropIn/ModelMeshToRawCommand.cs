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
/// odh-migrate modelmesh-to-raw: the upstream script's command line mapped onto the stages, without its prompts.
/// --target-ns is the new-namespace strategy, --preserve-namespace in-place; --odh picks the opendatahub Templates.
/// </summary>
public static class ModelMeshToRawCommand
{
    public const string Description = "Drop-in for modelmesh-to-raw.sh: migrate the ModelMesh InferenceServices of a namespace to RawDeployment in a new namespace (--target-ns) or in place (--preserve-namespace); --dry-run writes the files and prints the summary and next steps.";

    public const string RhoaiTemplateNamespace = "redhat-ods-applications";
    public const string OdhTemplateNamespace = "opendatahub";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var fromNs = new Option<string>("--from-ns") { Description = "Source namespace containing ModelMesh InferenceServices", Required = true };
        var targetNs = new Option<string?>("--target-ns") { Description = "Target namespace for KServe Raw deployment (not with --preserve-namespace)" };
        var preserve = new Option<bool>("--preserve-namespace") { Description = "DESTRUCTIVE: migrate in place within the same namespace" };
        var ignoreExisting = TransformChoiceOptions.IgnoreExistingNamespace();
        var dryRun = ExecutionOptions.DryRun();
        var odh = new Option<bool>("--odh") { Description = $"Use the OpenDataHub template namespace ({OdhTemplateNamespace}) instead of RHOAI ({RhoaiTemplateNamespace})" };
        var pageSize = SelectionOptions.PageSize();
        var debug = new Option<bool>("--debug") { Description = "Debug logging (same as --log-level debug)" };
        var yes = GateOptions.Yes();
        var select = SelectionOptions.Select();

        var command = new Command("modelmesh-to-raw", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { fromNs, targetNs, preserve, ignoreExisting, dryRun, odh, pageSize, debug, select, yes })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("modelmesh-to-raw", parse, common, io.Stdout, io.Stderr, parse.GetValue(debug) ? "debug" : null), (run, token) =>
        {
            var source = run.Get(fromNs)!;
            var target = run.Get(targetNs);
            var inPlace = run.Get(preserve);
            if (inPlace && target is not null)
            {
                throw new UsageException("--target-ns and --preserve-namespace cannot be combined (--preserve-namespace migrates within --from-ns)");
            }

            if (!inPlace && target is null)
            {
                throw new UsageException("give --target-ns <namespace>, or --preserve-namespace to migrate in place");
            }

            if (target == source)
            {
                throw new UsageException("--target-ns and --from-ns cannot be the same (use --preserve-namespace for an in-place migration)");
            }

            if (run.Get(dryRun) && run.Get(yes))
            {
                throw new UsageException("--yes cannot be combined with --dry-run (a dry run changes nothing)");
            }

            var layout = DropInRun.Workspace(run.Get(common.Workspace), "odh-modelmesh-to-raw", run.Log);
            var templates = run.Get(odh) ? OdhTemplateNamespace : RhoaiTemplateNamespace;
            var options = new PlanningChainOptions(
                new DiscoverOptions { Namespaces = [source], Mode = "modelmesh", Select = OptionParsing.NameList(run.Get(select)) },
                new ExportOptions { TemplateNamespace = templates },
                new TransformOptions
                {
                    Strategy = inPlace ? Strategies.InPlace : Strategies.NewNamespace,
                    TargetNamespace = target,
                    IgnoreExistingNamespace = run.Get(ignoreExisting),
                    TemplateNamespace = templates,
                });
            return run.Get(dryRun)
                ? DropInRun.PlanAsync(run, options, layout, plan => DryRunGuide.ModelMeshSummary(layout, plan) + DryRunGuide.NextSteps(layout, plan), token)
                : DropInRun.MigrateAsync(run, io, "modelmesh-to-raw", options, layout, run.Get(yes), deleteOriginals: false, token);
        }, ct));
        return command;
    }
}
