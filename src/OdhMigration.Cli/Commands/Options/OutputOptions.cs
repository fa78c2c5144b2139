using System.CommandLine;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>What a run prints and where its small results go: stdout format, Tekton-style result files, log level.</summary>
public sealed class OutputOptions
{
    public static readonly string[] Formats = ["text", "json"];
    public static readonly string[] LogLevels = ["debug", "info", "warning", "error"];

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> ResultDir { get; } = new("--result-dir")
    {
        Description = "Write small Tekton-style result files (counts, verdict, artifact sha256) into this folder",
    };

    public Option<string> LogLevel { get; } = CreateLogLevel();

    public IEnumerable<Option> All => [Output, ResultDir, LogLevel];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o") { Description = "Result format on stdout: text or json", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong(Formats);
        return option;
    }

    private static Option<string> CreateLogLevel()
    {
        var option = new Option<string>("--log-level") { Description = "debug, info, warning or error (logs go to stderr)", DefaultValueFactory = _ => "info" };
        option.AcceptOnlyFromAmong(LogLevels);
        return option;
    }
}
