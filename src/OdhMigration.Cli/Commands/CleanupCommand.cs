using System.CommandLine;
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
        var dryRun = new Option<bool>("--dry-run") { Description = "Send deletions with dryRun=All: nothing is removed" };
        var expectValidation = new Option<string?>("--expect-validation-sha256") { Description = "Refuse (exit 3) unless validation.json has this sha256 (what the approval gate saw)" };
        var requireGate = new Option<bool>(ApprovedSha256.RequireGateOption) { Description = "Refuse (exit 3) unless an approved sha256 is given (--expect-validation-sha256); without it a missing one is only a warning. The Tekton Tasks always pass it" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each deletion to finish", DefaultValueFactory = _ => 120 }.AtLeast(1, " second");
        var concurrency = new Option<int>("--concurrency") { Description = "InferenceServices cleaned in parallel (those sharing a runtime or another object are always handled in turn)", DefaultValueFactory = _ => 4 }.AtLeast(1);

        var command = new Command("cleanup", Description);
        common.AddTo(command);
        OptionRules.ApprovedSha256Value(command, expectValidation, requireGate, WorkspaceLayout.ValidationFile);
        foreach (var option in new Option[] { dryRun, expectValidation, requireGate, timeout, concurrency })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("cleanup", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            if (run.Get(timeout) < 1)
            {
                throw new UsageException($"--timeout {run.Get(timeout)}: must be at least 1 second");
            }

            if (run.Get(concurrency) < 1)
            {
                throw new UsageException($"--concurrency {run.Get(concurrency)}: must be at least 1");
            }

            var options = new CleanupOptions
            {
                DryRun = run.Get(dryRun),
                ExpectValidationSha256 = run.Get(expectValidation),
                RequireGate = run.Get(requireGate),
                Timeout = TimeSpan.FromSeconds(run.Get(timeout)),
                Concurrency = run.Get(concurrency),
            };
            return new CleanupEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
