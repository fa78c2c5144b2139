using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Validate;

namespace OdhMigration.Cli.Commands;

public static class ValidateCommand
{
    public const string Description = "Wait for every migrated InferenceService to be Ready with a URL in RawDeployment mode; write validation.json, JUnit XML and a Markdown summary.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var timeout = ExecutionOptions.Timeout();
        var request = new Option<string?>("--request") { Description = "Inference request body (v1 or v2 JSON) to send to each new endpoint" };
        var compareOriginal = new Option<bool>("--compare-original") { Description = "Send the request to the original too and compare the outputs" };
        var tolerance = new Option<double>("--tolerance") { Description = "Absolute tolerance for numeric output comparison", DefaultValueFactory = _ => 1e-6 }.Between(0, double.PositiveInfinity);
        var insecure = new Option<bool>("--insecure-skip-tls-verify") { Description = "Do not verify the endpoints' TLS certificates for the inference request (self-signed lab clusters, like curl -k)" };
        var concurrency = ExecutionOptions.Concurrency();
        var wave = WaveOptions.Wave();

        var command = new Command("validate", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { timeout, request, compareOriginal, tolerance, insecure, concurrency, wave })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("validate", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var defaults = new ValidateOptions();
            var options = defaults with
            {
                Timeout = ExecutionOptions.Seconds(run.Get(timeout), defaults.Timeout),
                RequestFile = run.Get(request),
                CompareOriginal = run.Get(compareOriginal),
                Tolerance = run.Get(tolerance),
                InsecureSkipTlsVerify = run.Get(insecure),
                Concurrency = run.Get(concurrency) ?? defaults.Concurrency,
                Wave = run.Get(wave),
            };
            UsageProblems.ThrowIfAny(options.Problems());
            return new ValidateEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
