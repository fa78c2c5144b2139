using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate rehearse: runs the chain on a snapshot of the user's namespace, so a team sees inventory, plan and
/// manifests before touching a cluster. Stages that write to a cluster run only where a cluster is available.
/// </summary>
public static class RehearseCommand
{
    public const string Description = "Rehearse the migration of a namespace on a snapshot (what 'oc get isvc,servingruntime,sa,role,rolebinding,secret,route -o yaml' gives): discover, export and transform, with the plan summary.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = new Option<string[]>("--namespace", "-n") { Description = "Namespace to rehearse (repeatable)", Required = true };
        var strategy = new Option<string?>("--strategy") { Description = "side-by-side, in-place or new-namespace" };
        strategy.AcceptOnlyFromAmong(Strategies.All);
        var targetNamespace = new Option<string?>("--target-namespace") { Description = "Target namespace for the new-namespace strategy" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Approve every gate without asking" };

        var command = new Command("rehearse", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { ns, strategy, targetNamespace, yes })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("rehearse", parse, common, io.Stdout, io.Stderr), async (run, token) =>
        {
            if (run.SnapshotPath is null)
            {
                throw new UsageException("rehearse needs --snapshot <file|dir>");
            }

            var layout = run.Workspace();
            var cluster = run.ClusterReader();
            var (discovered, _) = await new DiscoverEngine(cluster, run.Log).RunAsync(new DiscoverOptions { Namespaces = OptionParsing.NameList(run.Get(ns)) }, layout, token).ConfigureAwait(false);
            var exported = await new ExportEngine(cluster, run.Log).RunAsync(new ExportOptions(), layout, token).ConfigureAwait(false);
            var planned = await new TransformEngine(run.Log, TransformerCatalog.All).RunAsync(new TransformOptions { Strategy = run.Get(strategy), TargetNamespace = run.Get(targetNamespace) }, layout, token).ConfigureAwait(false);
            var exit = new[] { discovered.ExitCode, exported.ExitCode, planned.ExitCode }.Max();
            var results = discovered.Results.Concat(exported.Results).Concat(planned.Results).ToDictionary(p => p.Key, p => p.Value);
            return new StageOutcome(exit, $"{discovered.Summary}; {exported.Summary}; {planned.Summary}; workspace {layout.Root}", results);
        }, ct));
        return command;
    }
}
