using System.CommandLine;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Commands;

/// <summary>One stage: its command name (the tool is odh-&lt;name&gt;) and the factory of its command.</summary>
public sealed record StageDefinition(string Name, string Description, Func<CliIo, Command> Create)
{
    public string ToolName => $"odh-{Name}";

    /// <summary>The stage as the root command of its own tool (odh-discover ...).</summary>
    public RootCommand CreateRoot(CliIo io)
    {
        var command = Create(io);
        var root = new RootCommand(command.Description ?? Description);
        foreach (var option in command.Options)
        {
            root.Options.Add(option);
        }

        foreach (var argument in command.Arguments)
        {
            root.Arguments.Add(argument);
        }

        foreach (var validator in command.Validators)
        {
            root.Validators.Add(validator);
        }

        root.Action = command.Action;
        return root;
    }
}
