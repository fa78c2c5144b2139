using System.CommandLine;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Commands;

public static class ApplyCommand
{
    public const string Description = "Create what plan.json names, in dependency order, recording every step in ledger.json (resumable).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Send every write with dryRun=All: admission and webhooks run, nothing changes" };
        var expectPlan = new Option<string?>("--expect-plan-sha256") { Description = "Refuse (exit 3) unless plan.json has this sha256 (what the approval gate saw)" };
        var concurrency = new Option<int>("--concurrency") { Description = "InferenceServices applied in parallel", DefaultValueFactory = _ => 4 };
        var allowGitOps = new Option<bool>("--allow-gitops") { Description = "Apply to InferenceServices a GitOps tool manages" };
        var stopOriginal = new Option<bool>("--stop-original") { Description = "Set serving.kserve.io/stop=true on Serverless originals to free resources" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for a deleted original to disappear (in-place)", DefaultValueFactory = _ => 120 };

        var command = new Command("apply", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { dryRun, expectPlan, concurrency, allowGitOps, stopOriginal, timeout })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("apply", parse, common, io.Stdout, io.Stderr), (run, _) => NotYetAvailable.Refuse("apply"), ct));
        return command;
    }
}
