using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

/// <summary>odh-migrate report: a human report of a workspace (report.md and a standalone report.html).</summary>
public static class ReportCommand
{
    public const string Description = "Write a human report of a workspace: summary, refusals, endpoint map, and per InferenceService its facts, strategy, before/after diff, objects created and deleted, and validation (report.md and report.html).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var workspace = new Argument<string?>("workspace") { Description = "Workspace folder (default: --workspace or $" + CommonOptions.WorkspaceEnvironmentVariable + ")", Arity = ArgumentArity.ZeroOrOne };
        var outDir = new Option<string?>("--out") { Description = "Write report.md and report.html here instead of the workspace" };
        var print = new Option<bool>("--print") { Description = "Also print report.md on stdout (a pipeline's log shows approvers the whole report without the workspace volume)" };

        var command = new Command("report", Description);
        command.Arguments.Add(workspace);
        common.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(print);
        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("report", parse, common, io.Stdout, io.Stderr), async (run, token) =>
        {
            var root = parse.GetValue(workspace) ?? run.Get(common.Workspace);
            if (string.IsNullOrWhiteSpace(root))
            {
                throw new UsageException($"give the workspace folder (odh-migrate report <workspace>), --workspace or ${CommonOptions.WorkspaceEnvironmentVariable}");
            }

            if (!Directory.Exists(root))
            {
                throw new UsageException($"workspace {root} does not exist");
            }

            var layout = new WorkspaceLayout(root);
            var model = await ReportLoader.LoadAsync(layout, null, token).ConfigureAwait(false);
            var (markdown, html) = await ReportLoader.WriteAsync(model, Path.GetFullPath(run.Get(outDir) ?? layout.Root), token).ConfigureAwait(false);
            if (run.Get(print))
            {
                await io.Stdout.WriteLineAsync(Redactor.Redact(await File.ReadAllTextAsync(markdown, token).ConfigureAwait(false))).ConfigureAwait(false);
            }

            var results = new Dictionary<string, string> { ["report-markdown"] = markdown, ["report-html"] = html };
            return new StageOutcome(ExitCodes.Success, $"wrote {markdown} and {html} ({model.Isvcs.Count} InferenceService(s))", results);
        }, ct));
        return command;
    }
}
