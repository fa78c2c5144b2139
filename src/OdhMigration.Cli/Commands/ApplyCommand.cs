using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

public static class ApplyCommand
{
    public const string Description = "Create what plan.json names, in dependency order, recording every step in ledger.json (resumable).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var command = new Command("apply", Description);
        var dryRun = ExecutionOptions.DryRun();
        var requireGate = GateOptions.RequireGate();
        var expectPlan = GateOptions.ExpectSha256(command, "--expect-plan-sha256", "Refuse (exit 3) unless plan.json has this sha256 (what the approval gate saw)", requireGate, WorkspaceLayout.PlanFile);
        var concurrency = ExecutionOptions.Concurrency();
        var allowGitOps = ApplyChoiceOptions.AllowGitOps();
        var stopOriginal = ApplyChoiceOptions.StopOriginal();
        var timeout = ExecutionOptions.Timeout();
        var fieldManager = ApplyChoiceOptions.FieldManager();
        var wave = WaveOptions.Wave();
        var forceWave = WaveOptions.ForceWave();

        common.AddTo(command);
        foreach (var option in new Option[] { dryRun, expectPlan, requireGate, concurrency, allowGitOps, stopOriginal, timeout, fieldManager, wave, forceWave })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("apply", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var defaults = new ApplyOptions();
            var options = defaults with
            {
                DryRun = run.Get(dryRun),
                ExpectPlanSha256 = run.Get(expectPlan),
                RequireGate = run.Get(requireGate),
                Concurrency = run.Get(concurrency) ?? defaults.Concurrency,
                AllowGitOps = run.Get(allowGitOps),
                StopOriginal = run.Get(stopOriginal),
                DeleteTimeout = ExecutionOptions.Seconds(run.Get(timeout), defaults.DeleteTimeout),
                FieldManager = run.Get(fieldManager) ?? defaults.FieldManager,
                Wave = run.Get(wave),
                ForceWave = run.Get(forceWave),
            };
            UsageProblems.ThrowIfAny(options.Problems());
            return new ApplyEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
