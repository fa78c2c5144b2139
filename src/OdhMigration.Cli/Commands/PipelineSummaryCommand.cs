using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate pipeline-summary: what the pipelines' finally task runs. It needs no shell, so it runs in the
/// tools' own non-root image like every stage.
/// </summary>
public static class PipelineSummaryCommand
{
    public const string Description = "Write pipeline-summary.md into the workspace (each task's status, the sha256 of every workspace document, validation's summary) and print it; the migration pipelines' finally task.";

    public static Command Create(CliIo io)
    {
        var workspace = WorkspaceOptions.Workspace();
        var title = new Option<string>("--title") { Description = "Heading of the summary, e.g. the namespace being migrated", DefaultValueFactory = _ => "migration" };
        var pipelineStatus = new Option<string>("--pipeline-status") { Description = "Aggregate status of the pipeline's tasks (Succeeded, Failed, Completed or None)", DefaultValueFactory = _ => "unknown" };
        var statuses = new Argument<string[]>("task-status") { Description = "One <task>=<status> per pipeline task", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("pipeline-summary", Description);
        command.Options.Add(workspace);
        command.Options.Add(title);
        command.Options.Add(pipelineStatus);
        command.Arguments.Add(statuses);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var root = parse.GetValue(workspace);
                if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
                {
                    throw new UsageException($"--workspace: '{root}' is not an existing folder");
                }

                var tasks = (parse.GetValue(statuses) ?? []).Select(Parse).ToList();
                var layout = new WorkspaceLayout(root);
                var markdown = await PipelineSummary.BuildAsync(layout, parse.GetValue(title) ?? "migration", parse.GetValue(pipelineStatus) ?? "unknown", tasks, ct).ConfigureAwait(false);
                await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(layout.Root, PipelineSummary.FileName), markdown, cancellationToken: ct).ConfigureAwait(false);
                await io.Stdout.WriteAsync(markdown).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (UsageException ex)
            {
                await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ex.Message)}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static (string Task, string Status) Parse(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? (entry[..equals], entry[(equals + 1)..])
            : throw new UsageException($"task-status '{entry}': expected <task>=<status>");
    }
}
