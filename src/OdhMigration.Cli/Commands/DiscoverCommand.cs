using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Interactive;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;

namespace OdhMigration.Cli.Commands;

public static class DiscoverCommand
{
    public const string Description = "Find InferenceServices, decide their deployment mode, gather facts and select what to migrate (writes inventory.json).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = ScopeOptions.Namespace();
        var all = ScopeOptions.AllNamespaces();
        var mode = ScopeOptions.Mode();
        var select = SelectionOptions.Select();
        var selector = SelectionOptions.Selector();
        var exclude = SelectionOptions.Exclude();
        var interactive = SelectionOptions.Interactive();
        var pageSize = SelectionOptions.PageSize();
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
            UsageProblems.ThrowIfAny(options.Problems());
            var cluster = run.ClusterReader();
            var (outcome, _) = await new DiscoverEngine(cluster, run.Log).RunAsync(options, layout, token).ConfigureAwait(false);
            return outcome;
        }, ct));
        return command;
    }
}
