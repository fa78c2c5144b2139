using System.CommandLine;
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
        var dryRun = new Option<bool>("--dry-run") { Description = "Send every write with dryRun=All: admission and webhooks run, nothing changes" };
        var expectPlan = new Option<string?>("--expect-plan-sha256") { Description = "Refuse (exit 3) unless plan.json has this sha256 (what the approval gate saw)" };
        var requireGate = new Option<bool>(ApprovedSha256.RequireGateOption) { Description = "Refuse (exit 3) unless an approved sha256 is given (--expect-plan-sha256); without it a missing one is only a warning. The Tekton Tasks always pass it" };
        var concurrency = new Option<int>("--concurrency") { Description = "InferenceServices applied in parallel", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var allowGitOps = new Option<bool>("--allow-gitops") { Description = "Apply to InferenceServices a GitOps tool manages" };
        var stopOriginal = new Option<bool>("--stop-original") { Description = "Set serving.kserve.io/stop=true on Serverless originals to free resources" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for a deleted original to disappear (in-place)", DefaultValueFactory = _ => 120 }.AtLeast(1, " second");
        var fieldManager = new Option<string>("--field-manager") { Description = "Server-side apply field manager (keep it stable across runs)", DefaultValueFactory = _ => ApplyOptions.DefaultFieldManager }.NotBlank();

        var command = new Command("apply", Description);
        common.AddTo(command);
        OptionRules.ApprovedSha256Value(command, expectPlan, requireGate, WorkspaceLayout.PlanFile);
        foreach (var option in new Option[] { dryRun, expectPlan, requireGate, concurrency, allowGitOps, stopOriginal, timeout, fieldManager })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("apply", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            if (run.Get(timeout) < 1)
            {
                throw new UsageException($"--timeout {run.Get(timeout)}: must be at least 1 second");
            }

            var options = new ApplyOptions
            {
                DryRun = run.Get(dryRun),
                ExpectPlanSha256 = run.Get(expectPlan),
                RequireGate = run.Get(requireGate),
                Concurrency = run.Get(concurrency),
                AllowGitOps = run.Get(allowGitOps),
                StopOriginal = run.Get(stopOriginal),
                DeleteTimeout = TimeSpan.FromSeconds(run.Get(timeout)),
                FieldManager = run.Get(fieldManager) ?? ApplyOptions.DefaultFieldManager,
            };
            return new ApplyEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
