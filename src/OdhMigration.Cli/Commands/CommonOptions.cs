using System.CommandLine;
using OdhMigration.Cli.Commands.Options;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// The groups every stage shares (workspace, cluster connection, output), spelled the same everywhere (README
/// "Command-line surface"); each option is declared in its group under Commands/Options.
/// </summary>
public sealed class CommonOptions
{
    public const string WorkspaceEnvironmentVariable = WorkspaceOptions.EnvironmentVariable;

    public Option<string?> Workspace { get; } = WorkspaceOptions.Workspace();

    public ClusterConnectionOptions Connection { get; } = new();

    public OutputOptions Printing { get; } = new();

    public Option<string?> Kubeconfig => Connection.Kubeconfig;

    public Option<string?> Context => Connection.Context;

    public Option<string?> Snapshot => Connection.Snapshot;

    public Option<string> Output => Printing.Output;

    public Option<string?> ResultDir => Printing.ResultDir;

    public Option<string> LogLevel => Printing.LogLevel;

    public IEnumerable<Option> All => [Workspace, .. Connection.All, .. Printing.All];

    public void AddTo(Command command)
    {
        command.Options.Add(Workspace);
        Connection.AddTo(command);
        Printing.AddTo(command);
    }
}
