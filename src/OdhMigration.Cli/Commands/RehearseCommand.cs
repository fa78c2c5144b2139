using System.CommandLine;
using OdhMigration.Cli.Commands.Run;
using OdhMigration.Cli.Commands.Options;
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
using OdhMigration.Core.Workspace.Vocabulary;
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
        var ns = ScopeOptions.Namespace();
        ns.Required = true;
        var strategy = TransformChoiceOptions.Strategy();
        var targetNamespace = TransformChoiceOptions.TargetNamespace();
        var yes = GateOptions.Yes();
        var validateTimeout = ExecutionOptions.ValidateTimeout();

        // Waves as transform plans them, so a rehearsal shows the wave-by-wave run (each wave's gates) before the real one.
        var waves = WaveOptions.Waves();
        var waveSize = WaveOptions.WaveSize();
        var waveOrder = WaveOptions.WaveOrder();

        var command = new Command("rehearse", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { ns, strategy, targetNamespace, yes, waves, waveSize, waveOrder, validateTimeout })
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

            var gate = new ApprovalGate(io.Input, io.Stdout, io.HasTerminal, run.Get(yes) ? ApprovalGate.All.ToHashSet() : [], "--yes");
            var rehearsal = new Rehearsal(layout, run.Log, io.Stdout, gate, ProgressRenderer.For(run.Stderr));
            var transform = new TransformOptions
            {
                Strategy = run.Get(strategy),
                TargetNamespace = run.Get(targetNamespace),
                Waves = run.Get(waves),
                WaveSize = run.Get(waveSize),
                WaveOrder = run.Get(waveOrder),
            };
            var validate = ExecutionOptions.Seconds(run.Get(validateTimeout), Rehearsal.DefaultValidateTimeout);
            return await rehearsal.RunAsync(snapshot, OptionParsing.NameList(run.Get(ns)), transform, validate, token).ConfigureAwait(false);
        }, ct));
        return command;
    }
}

/// <summary>The rehearsal itself: one simulator, then the same <see cref="MigrationRun"/> a live run uses, with short polls.</summary>
internal sealed class Rehearsal(WorkspaceLayout layout, IStageLog log, TextWriter output, ApprovalGate gate, IProgressSink progress)
{
    /// <summary>The simulator makes a replacement ready within a second; a minute is ample, and a wave that cannot come up fails within it.</summary>
    public static readonly TimeSpan DefaultValidateTimeout = TimeSpan.FromSeconds(60);

    public async Task<StageOutcome> RunAsync(IReadOnlyList<SnapshotObject> snapshot, IReadOnlyList<string> namespaces, TransformOptions transform, TimeSpan validateTimeout, CancellationToken ct)
    {
        var planning = new PlanningChainOptions(new DiscoverOptions { Namespaces = namespaces }, new ExportOptions(), transform);
        PlanningProblems.ThrowIfAny(planning);
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions(), snapshot, cancellationToken: ct).ConfigureAwait(false);
        var kubeconfig = Path.Combine(layout.Root, "_rehearsal", "kubeconfig");
        await host.WriteKubeconfigAsync(kubeconfig, cancellationToken: ct).ConfigureAwait(false);
        using var cluster = LiveCluster.Connect(new LiveClusterConnection(kubeconfig, null));
        log.Info($"rehearsal cluster: simulator at {host.BaseAddress} loaded with {snapshot.Count} object(s)");

        var settings = new MigrationRunSettings(
            "rehearsal",
            planning,
            new ApplyOptions { PollInterval = TimeSpan.FromMilliseconds(100) },
            new ValidateOptions { Timeout = validateTimeout, PollInterval = TimeSpan.FromMilliseconds(200) },
            new CleanupOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        return await new MigrationRun(cluster, layout, log, output, gate, progress).RunAsync(settings, ct).ConfigureAwait(false);
    }
}
