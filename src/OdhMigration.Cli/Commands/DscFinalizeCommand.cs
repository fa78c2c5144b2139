using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.DscFinalize;

namespace OdhMigration.Cli.Commands;

public static class DscFinalizeCommand
{
    public const string Description = "Once no Serverless or ModelMesh InferenceService is left, set the DataScienceCluster and DSCInitialization for RawDeployment only (guide sections 7-9).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the patches as server-side dry runs and print the exact diff" };
        var dsc = new Option<string?>("--dsc") { Description = "Name of the DataScienceCluster when there are several" };
        var uninstallOperators = new Option<bool>("--uninstall-operators") { Description = "Delete the Subscriptions and CSVs of operators that are now safe to remove" };
        var ignorelist = new Option<bool>("--hardware-profile-ignorelist") { Description = "3.x targets: add the hardware-profile annotations to inferenceservice-config's serviceAnnotationDisallowedList" };

        var expectPlan = new Option<string?>(FinalizePlan.ExpectOption) { Description = $"Refuse (exit 3) unless what this run would change has this sha256: the finalize-plan-sha256 a dry run showed the approvers ({FinalizePlan.FileName})" };
        var requireGate = new Option<bool>(ApprovedSha256.RequireGateOption) { Description = "Refuse (exit 3) unless an approved sha256 is given (--expect-finalize-plan-sha256; a dry run needs none); without it a missing one is only a warning. The Tekton Tasks always pass it" };

        var command = new Command("dsc-finalize", Description);
        common.AddTo(command);
        OptionRules.ApprovedSha256Value(command, expectPlan, requireGate, FinalizePlan.FileName);
        foreach (var option in new Option[] { dryRun, dsc, uninstallOperators, ignorelist, expectPlan, requireGate })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("dsc-finalize", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var options = new DscFinalizeOptions
            {
                DryRun = run.Get(dryRun),
                DscName = run.Get(dsc),
                UninstallOperators = run.Get(uninstallOperators),
                HardwareProfileIgnorelist = run.Get(ignorelist),
                ExpectFinalizePlanSha256 = run.Get(expectPlan),
                RequireGate = run.Get(requireGate),
            };
            return new DscFinalizeEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
