using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

public static class CleanupCommand
{
    public const string Description = "Delete the originals whose replacements passed validation, only objects the plan names and only after their backup is on disk.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var command = new Command("cleanup", Description);
        var dryRun = ExecutionOptions.DryRun();
        var requireGate = GateOptions.RequireGate();
        var expectValidation = GateOptions.ExpectSha256(command, "--expect-validation-sha256", "Refuse (exit 3) unless validation.json has this sha256 (what the approval gate saw)", requireGate, WorkspaceLayout.ValidationFile);
        var timeout = ExecutionOptions.Timeout();
        var concurrency = ExecutionOptions.Concurrency();
        var wave = WaveOptions.Wave();

        common.AddTo(command);
        foreach (var option in new Option[] { dryRun, expectValidation, requireGate, timeout, concurrency, wave })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("cleanup", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var defaults = new CleanupOptions();
            var options = defaults with
            {
                DryRun = run.Get(dryRun),
                ExpectValidationSha256 = run.Get(expectValidation),
                RequireGate = run.Get(requireGate),
                Timeout = ExecutionOptions.Seconds(run.Get(timeout), defaults.Timeout),
                Concurrency = run.Get(concurrency) ?? defaults.Concurrency,
                Wave = run.Get(wave),
            };
            UsageProblems.ThrowIfAny(options.Problems());
            return new CleanupEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
