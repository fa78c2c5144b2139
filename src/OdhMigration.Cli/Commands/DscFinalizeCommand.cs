using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Stages.DscFinalize;

namespace OdhMigration.Cli.Commands;

public static class DscFinalizeCommand
{
    public const string Description = "Once no Serverless or ModelMesh InferenceService is left, set the DataScienceCluster and DSCInitialization for RawDeployment only (guide sections 7-9).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var command = new Command("dsc-finalize", Description);
        var dryRun = ExecutionOptions.DryRun();
        var dsc = new Option<string?>("--dsc") { Description = "Name of the DataScienceCluster when there are several" };
        var uninstallOperators = new Option<bool>("--uninstall-operators") { Description = "Delete the Subscriptions and CSVs of operators that are now safe to remove" };
        var ignorelist = new Option<bool>("--hardware-profile-ignorelist") { Description = "3.x targets: add the hardware-profile annotations to inferenceservice-config's serviceAnnotationDisallowedList" };

        var requireGate = GateOptions.RequireGate();
        var expectPlan = GateOptions.ExpectSha256(command, FinalizePlan.ExpectOption, $"Refuse (exit 3) unless what this run would change has this sha256: the finalize-plan-sha256 a dry run showed the approvers ({FinalizePlan.FileName})", requireGate, FinalizePlan.FileName);

        common.AddTo(command);
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
