using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Simulator;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate rehearse: the whole migration of a namespace — discover, export, transform, gate, apply, validate,
/// gate, cleanup — against an embedded simulator loaded from a snapshot of the user's namespace, so a team sees
/// the plan, the gates and the reports before touching the cluster.
/// </summary>
public static class RehearseCommand
{
    public const string Description = "Rehearse the full migration of a namespace (discover, export, transform, approval, apply, validate, approval, cleanup) on an embedded simulator loaded from a snapshot (what 'oc get isvc,servingruntime,sa,role,rolebinding,secret,route -o yaml' gives).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var ns = new Option<string[]>("--namespace", "-n") { Description = "Namespace to rehearse (repeatable)", Required = true };
        var strategy = new Option<string?>("--strategy") { Description = "side-by-side, in-place or new-namespace" };
        strategy.AcceptOnlyFromAmong(Strategies.All);
        var targetNamespace = new Option<string?>("--target-namespace") { Description = "Target namespace for the new-namespace strategy" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Approve both gates in advance (plan before apply, validation before cleanup)" };

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
            IReadOnlyList<SnapshotObject> snapshot;
            try
            {
                snapshot = SnapshotLoader.Load(run.SnapshotPath);
            }
            catch (ManifestFormatException ex)
            {
                throw new UsageException(ex.Message, ex);
            }

            var gate = new ApprovalGate(Console.In, io.Stdout, interactive: !Console.IsInputRedirected && !Console.IsOutputRedirected, preApproved: run.Get(yes));
            var rehearsal = new Rehearsal(layout, run.Log, io.Stdout, gate);
            return await rehearsal.RunAsync(snapshot, OptionParsing.NameList(run.Get(ns)), run.Get(strategy), run.Get(targetNamespace), token).ConfigureAwait(false);
        }, ct));
        return command;
    }
}

/// <summary>The rehearsal itself: one simulator, the real engines in order, two gates, a summary table.</summary>
internal sealed class Rehearsal(WorkspaceLayout layout, IStageLog log, TextWriter output, ApprovalGate gate)
{
    private readonly List<(string Stage, StageOutcome Outcome)> _stages = [];

    public async Task<StageOutcome> RunAsync(IReadOnlyList<SnapshotObject> snapshot, IReadOnlyList<string> namespaces, string? strategy, string? targetNamespace, CancellationToken ct)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions(), snapshot, cancellationToken: ct).ConfigureAwait(false);
        var kubeconfig = Path.Combine(layout.Root, "_rehearsal", "kubeconfig");
        await host.WriteKubeconfigAsync(kubeconfig, cancellationToken: ct).ConfigureAwait(false);
        using var cluster = LiveCluster.Connect(new LiveClusterConnection(kubeconfig, null));
        log.Info($"rehearsal cluster: simulator at {host.BaseAddress} loaded with {snapshot.Count} object(s)");

        var planning = await new PlanningChain(cluster, log, NullProgressSink.Instance).RunAsync(
            new PlanningChainOptions(new DiscoverOptions { Namespaces = namespaces }, new ExportOptions(), new TransformOptions { Strategy = strategy, TargetNamespace = targetNamespace }),
            layout,
            ct).ConfigureAwait(false);
        foreach (var (stage, outcome) in planning.Stages)
        {
            Record(stage, outcome);
        }

        if (planning.Plan is not { } plan || plan.Items.All(i => i.Status != "ok"))
        {
            return Finish();
        }

        var planSha = await Hashing.Sha256FileAsync(layout.Plan, ct).ConfigureAwait(false);
        var planLines = plan.Items.Select(i => i.Status == "ok"
            ? $"{i.Namespace}/{i.Name} -> {i.TargetNamespace}/{i.TargetName} ({i.Strategy}): create {i.Create.Count}, delete at cleanup {i.DeleteOnCleanup.Count}, keep {i.Keep.Count}, {i.Warnings.Count} warning(s)"
            : $"{i.Namespace}/{i.Name}: refused: {i.Error}").Append($"plan.json sha256 {planSha}");
        if (!gate.Approve("plan, before apply", "apply", planLines))
        {
            return Finish("stopped at the plan gate");
        }

        if (!Record("apply", await new ApplyEngine(cluster, log).RunAsync(new ApplyOptions { ExpectPlanSha256 = planSha, PollInterval = TimeSpan.FromMilliseconds(100) }, layout, ct).ConfigureAwait(false))) return Finish();
        var validated = await new ValidateEngine(cluster, log).RunAsync(new ValidateOptions { Timeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(200) }, layout, ct).ConfigureAwait(false);
        Record("validate", validated);
        if (validated.ExitCode != ExitCodes.Success)
        {
            return Finish("validation did not pass: cleanup is not offered");
        }

        var validationSha = await Hashing.Sha256FileAsync(layout.Validation, ct).ConfigureAwait(false);
        var summary = File.Exists(layout.ValidationSummary) ? (await File.ReadAllLinesAsync(layout.ValidationSummary, ct).ConfigureAwait(false)).Where(l => l.Length > 0) : [];
        if (!gate.Approve("validation, before cleanup", "cleanup", summary.Append($"validation.json sha256 {validationSha}")))
        {
            return Finish("stopped at the cleanup gate");
        }

        Record("cleanup", await new CleanupEngine(cluster, log).RunAsync(new CleanupOptions { ExpectValidationSha256 = validationSha, PollInterval = TimeSpan.FromMilliseconds(100) }, layout, ct).ConfigureAwait(false));
        return Finish();
    }

    /// <summary>Records a stage; false when the chain must stop (usage errors, refusals, or nothing succeeded).</summary>
    private bool Record(string stage, StageOutcome outcome)
    {
        _stages.Add((stage, outcome));
        return outcome.ExitCode is ExitCodes.Success or ExitCodes.PartialFailure;
    }

    private StageOutcome Finish(string? stoppedBecause = null)
    {
        output.WriteLine();
        output.WriteLine($"{"stage",-10} {"verdict",-17} summary");
        foreach (var (stage, outcome) in _stages)
        {
            output.WriteLine($"{stage,-10} {StageRunner.Verdict(outcome.ExitCode),-17} {outcome.Summary}");
        }

        var exit = _stages.Count == 0 ? ExitCodes.Success : _stages.Max(s => s.Outcome.ExitCode);
        if (stoppedBecause is not null && exit == ExitCodes.Success)
        {
            exit = ExitCodes.PreconditionFailed; // a rehearsal that stopped at a gate did not do what was asked
        }

        var results = _stages.SelectMany(s => s.Outcome.Results).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var text = stoppedBecause is null
            ? $"rehearsal finished: {string.Join(", ", _stages.Select(s => $"{s.Stage} {StageRunner.Verdict(s.Outcome.ExitCode)}"))}; workspace {layout.Root}"
            : $"rehearsal {stoppedBecause}; workspace {layout.Root}";
        return new StageOutcome(exit, text, results);
    }
}
