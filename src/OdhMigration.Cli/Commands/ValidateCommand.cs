using System.CommandLine;
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
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for readiness", DefaultValueFactory = _ => 600 }.AtLeast(1, " second");
        var request = new Option<string?>("--request") { Description = "Inference request body (v1 or v2 JSON) to send to each new endpoint" };
        var compareOriginal = new Option<bool>("--compare-original") { Description = "Send the request to the original too and compare the outputs" };
        var tolerance = new Option<double>("--tolerance") { Description = "Absolute tolerance for numeric output comparison", DefaultValueFactory = _ => 1e-6 }.Between(0, double.PositiveInfinity);
        var insecure = new Option<bool>("--insecure-skip-tls-verify") { Description = "Do not verify the endpoints' TLS certificates for the inference request (self-signed lab clusters, like curl -k)" };
        var concurrency = new Option<int>("--concurrency") { Description = "InferenceServices checked in parallel", DefaultValueFactory = _ => 8 }.AtLeast(1);

        var command = new Command("validate", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { timeout, request, compareOriginal, tolerance, insecure, concurrency })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("validate", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            if (run.Get(timeout) < 1 || run.Get(tolerance) < 0 || run.Get(concurrency) < 1)
            {
                throw new UsageException("--timeout and --concurrency must be at least 1, --tolerance at least 0");
            }

            var options = new ValidateOptions
            {
                Timeout = TimeSpan.FromSeconds(run.Get(timeout)),
                RequestFile = run.Get(request),
                CompareOriginal = run.Get(compareOriginal),
                Tolerance = run.Get(tolerance),
                InsecureSkipTlsVerify = run.Get(insecure),
                Concurrency = run.Get(concurrency),
            };
            return new ValidateEngine(run.ClusterWriter(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
