using System.CommandLine;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Commands;

public static class ValidateCommand
{
    public const string Description = "Wait for every migrated InferenceService to be Ready with a URL in RawDeployment mode; write validation.json, JUnit XML and a Markdown summary.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for readiness", DefaultValueFactory = _ => 600 };
        var request = new Option<string?>("--request") { Description = "Inference request body (v1 or v2 JSON) to send to each new endpoint" };
        var compareOriginal = new Option<bool>("--compare-original") { Description = "Send the request to the original too and compare the outputs" };
        var tolerance = new Option<double>("--tolerance") { Description = "Absolute tolerance for numeric output comparison", DefaultValueFactory = _ => 1e-6 };

        var command = new Command("validate", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { timeout, request, compareOriginal, tolerance })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("validate", parse, common, io.Stdout, io.Stderr), (run, _) => NotYetAvailable.Refuse("validate"), ct));
        return command;
    }
}
