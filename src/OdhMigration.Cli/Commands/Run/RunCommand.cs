using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.Run;

/// <summary>
/// odh-migrate run: every stage in order against a live cluster, with the two human gates. On a terminal each gate
/// shows the plan (with per-ISVC diffs) or the validation summary and asks for a typed word; without a terminal only
/// --approve passes it. --resume continues an interrupted run from the workspace (saved plan, ledger).
/// </summary>
public static class RunCommand
{
    public const string Description = "Migrate namespaces on a live cluster: discover, export, transform, plan gate, apply, validate, cleanup gate, cleanup. Gates ask on a terminal; without one they need --approve plan,cleanup. --resume continues an interrupted run.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = ScopeOptions.Namespace();
        var mode = ScopeOptions.Mode();
        var select = SelectionOptions.Select();
        var exclude = SelectionOptions.Exclude();
        var strategy = TransformChoiceOptions.Strategy();
        var targetNamespace = TransformChoiceOptions.TargetNamespace();
        var approve = new Option<string[]>("--approve") { Description = "Gates approved in advance, for runs without a terminal: plan, cleanup (comma-separated)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --workspace: keep its plan (not asked again if approved unchanged; --namespace, --select, --strategy and --target-namespace cannot change it), finish or roll back what the ledger shows half-done, then validate and clean up" };
        var concurrency = ExecutionOptions.Concurrency();
        var allowGitOps = ApplyChoiceOptions.AllowGitOps();
        var validateTimeout = ExecutionOptions.ValidateTimeout();

        var command = new Command("run", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { ns, mode, select, exclude, strategy, targetNamespace, approve, resume, concurrency, allowGitOps, validateTimeout })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("run", parse, common, io.Stdout, io.Stderr), async (run, token) =>
        {
            var approved = Approvals(run.Get(approve));
            var namespaces = OptionParsing.NameList(run.Get(ns));
            var resuming = run.Get(resume);
            var applyDefaults = new ApplyOptions();
            var cleanupDefaults = new CleanupOptions();
            var apply = applyDefaults with { Concurrency = run.Get(concurrency) ?? applyDefaults.Concurrency, AllowGitOps = run.Get(allowGitOps) };
            var validate = new ValidateOptions();
            validate = validate with { Timeout = ExecutionOptions.Seconds(run.Get(validateTimeout), validate.Timeout) };
            var cleanup = cleanupDefaults with { Concurrency = run.Get(concurrency) ?? cleanupDefaults.Concurrency };
            UsageProblems.ThrowIfAny([.. apply.Problems(), .. validate.Problems(), .. cleanup.Problems()]);

            var layout = run.Workspace();
            PlanningChainOptions? planning = null;
            if (resuming)
            {
                if (namespaces.Count > 0 || run.Get(select) is { Length: > 0 } || run.Get(strategy) is not null || run.Get(targetNamespace) is not null)
                {
                    throw new UsageException("--resume continues with the plan saved in the workspace; --namespace, --select, --strategy and --target-namespace cannot change it (start a fresh --workspace to plan again)");
                }

                if (!File.Exists(layout.Plan))
                {
                    throw new UsageException($"--resume: no {WorkspaceLayout.PlanFile} in {layout.Root}; nothing to resume");
                }
            }
            else
            {
                if (namespaces.Count == 0)
                {
                    throw new UsageException("--namespace is required (or --resume to continue the run in --workspace)");
                }

                // Planning again over a half-applied workspace would replace the plan its ledger belongs to.
                if (File.Exists(layout.Ledger) || File.Exists(LedgerStore.JournalPath(layout.Ledger)))
                {
                    throw new PreconditionException($"{layout.Root} already holds an apply ledger from an earlier run; continue it with --resume, or start over in a fresh --workspace");
                }

                planning = new PlanningChainOptions(
                    new DiscoverOptions { Namespaces = namespaces, Mode = run.Get(mode)!, Select = OptionParsing.NameList(run.Get(select)), Exclude = OptionParsing.NameList(run.Get(exclude)) },
                    new ExportOptions(),
                    new TransformOptions { Strategy = run.Get(strategy), TargetNamespace = run.Get(targetNamespace) });
                PlanningProblems.ThrowIfAny(planning);
            }

            var cluster = run.ClusterWriter();
            var gate = new ApprovalGate(io.Input, io.Stdout, io.HasTerminal, approved, "--approve plan,cleanup");
            var settings = new MigrationRunSettings(
                "run",
                planning,
                apply,
                validate,
                cleanup);
            return await new MigrationRun(cluster, layout, run.Log, io.Stdout, gate, ProgressRenderer.For(run.Stderr)).RunAsync(settings, token).ConfigureAwait(false);
        }, ct));
        return command;
    }

    private static HashSet<string> Approvals(string[]? values)
    {
        var gates = OptionParsing.NameList(values).ToHashSet(StringComparer.Ordinal);
        var unknown = gates.Except(ApprovalGate.All).ToList();
        return unknown.Count > 0
            ? throw new UsageException($"--approve {string.Join(",", unknown)}: unknown gate (known: {string.Join(", ", ApprovalGate.All)})")
            : gates;
    }
}
