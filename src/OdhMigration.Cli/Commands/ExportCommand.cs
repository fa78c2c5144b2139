using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Stages.Export;

namespace OdhMigration.Cli.Commands;

public static class ExportCommand
{
    public const string Description = "Save re-appliable copies of every selected InferenceService and what it depends on (writes original/ folders and export.json).";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var includeSecretData = new Option<bool>("--include-secret-data") { Description = "Also write Secret data (files mode 0600); by default Secrets are saved as data-free references" };
        var templateNamespace = TransformChoiceOptions.TemplateNamespace();

        var command = new Command("export", Description);
        common.AddTo(command);
        command.Options.Add(includeSecretData);
        command.Options.Add(templateNamespace);
        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("export", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var options = new ExportOptions { IncludeSecretData = run.Get(includeSecretData), TemplateNamespace = run.Get(templateNamespace) };
            return new ExportEngine(run.ClusterReader(), run.Log).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
