using System.CommandLine;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>--workspace: the folder the stages share, the same option on every command that reads or writes one.</summary>
public static class WorkspaceOptions
{
    public const string EnvironmentVariable = "ODH_MIGRATION_WORKSPACE";

    public static Option<string?> Workspace() => new Option<string?>("--workspace")
    {
        Description = $"Workspace folder shared by the stages (falls back to ${EnvironmentVariable}; required, except by the drop-ins, which make a fresh one)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EnvironmentVariable),
    }.NotBlank();
}
