using System.CommandLine;
using OdhMigration.Cli.Commands.DropIn;
using OdhMigration.Cli.Commands.Run;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Commands;

/// <summary>odh-migrate: every stage as a subcommand (odh-migrate discover ... behaves exactly like odh-discover ...).</summary>
public static class UmbrellaCommand
{
    public static RootCommand Create(CliIo io)
    {
        var root = new RootCommand("Move KServe InferenceServices on OpenDataHub / OpenShift AI 2.x from Serverless and ModelMesh to RawDeployment, stage by stage.");
        root.Subcommands.Add(PipelineRunsCommand.Create(io));
        foreach (var stage in StageCatalog.All)
        {
            root.Subcommands.Add(stage.Create(io));
        }

        root.Subcommands.Add(RunCommand.Create(io));
        root.Subcommands.Add(RehearseCommand.Create(io));
        root.Subcommands.Add(SimulatorCommand.Create(io));
        root.Subcommands.Add(ReportCommand.Create(io));
        root.Subcommands.Add(PipelineSummaryCommand.Create(io));
        root.Subcommands.Add(ServerlessToRawCommand.Create(io));
        root.Subcommands.Add(ModelMeshToRawCommand.Create(io));

        return root;
    }
}
