using System.CommandLine;

namespace OdhMigration.Cli.Commands;

/// <summary>The options every stage shares, spelled the same everywhere (README "Command-line surface").</summary>
public sealed class CommonOptions
{
    public const string WorkspaceEnvironmentVariable = "ODH_MIGRATION_WORKSPACE";

    public Option<string?> Workspace { get; } = new("--workspace")
    {
        Description = $"Workspace folder shared by the stages (required; falls back to ${WorkspaceEnvironmentVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(WorkspaceEnvironmentVariable),
    };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to a kubeconfig (default: the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config)",
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "Kubeconfig context to use",
    };

    public Option<string?> Snapshot { get; } = new("--snapshot")
    {
        Description = "Read an offline cluster instead: a multi-document YAML file, a 'kind: List', or a folder of such files",
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> ResultDir { get; } = new("--result-dir")
    {
        Description = "Write small Tekton-style result files (counts, verdict, artifact sha256) into this folder",
    };

    public Option<string> LogLevel { get; } = CreateLogLevel();

    public IEnumerable<Option> All => [Workspace, Kubeconfig, Context, Snapshot, Output, ResultDir, LogLevel];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        Workspace.NotBlank();
        OptionRules.SnapshotExcludesLiveCluster(command, this);
    }

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o") { Description = "Result format on stdout: text or json", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    private static Option<string> CreateLogLevel()
    {
        var option = new Option<string>("--log-level") { Description = "debug, info, warning or error (logs go to stderr)", DefaultValueFactory = _ => "info" };
        option.AcceptOnlyFromAmong("debug", "info", "warning", "error");
        return option;
    }
}
