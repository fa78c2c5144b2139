using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Interactive;
using OdhMigration.Core.Stages.Discover;

namespace OdhMigration.Cli.Commands;

public static class DiscoverCommand
{
    public const string Description = "Find InferenceServices, decide their deployment mode, gather facts and select what to migrate (writes inventory.json).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = new Option<string[]>("--namespace", "-n") { Description = "Namespace to scan (repeatable)", AllowMultipleArgumentsPerToken = false };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Scan every namespace" };
        var mode = new Option<string>("--mode") { Description = "Which source mode to select: serverless, modelmesh or all", DefaultValueFactory = _ => "all" };
        mode.AcceptOnlyFromAmong("serverless", "modelmesh", "all");
        var select = new Option<string[]>("--select") { Description = "Only these InferenceService names (comma-separated, repeatable); default: every eligible one" };
        var selector = new Option<string?>("--selector", "-l") { Description = "Only InferenceServices whose labels match this label selector" }.NotBlank();
        var exclude = new Option<string[]>("--exclude") { Description = "Never these InferenceService names (comma-separated, repeatable)" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Pick from the selected InferenceServices in a paged list (only when a terminal is attached)" };
        var pageSize = new Option<int>("--page-size") { Description = "Rows per page of the --interactive picker", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var skipPreflight = new Option<bool>("--skip-preflight") { Description = "Do not ask the API server (SelfSubjectAccessReview) what the later stages may do" };

        var command = new Command("discover", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { ns, all, mode, select, selector, exclude, interactive, pageSize, skipPreflight })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("discover", parse, common, io.Stdout, io.Stderr), async (run, token) =>
        {
            var layout = run.Workspace();
            var options = new DiscoverOptions
            {
                Namespaces = OptionParsing.NameList(run.Get(ns)),
                AllNamespaces = run.Get(all),
                Mode = run.Get(mode) ?? "all",
                Select = OptionParsing.NameList(run.Get(select)),
                Selector = run.Get(selector),
                Exclude = OptionParsing.NameList(run.Get(exclude)),
                SkipPreflight = run.Get(skipPreflight),
                Picker = InteractiveSelection.Create(run.Get(interactive), run.Get(pageSize), run.Log, io.Stderr),
            };
            var cluster = run.ClusterReader();
            var (outcome, _) = await new DiscoverEngine(cluster, run.Log).RunAsync(options, layout, token).ConfigureAwait(false);
            return outcome;
        }, ct));
        return command;
    }
}
