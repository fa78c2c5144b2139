namespace OdhMigration.Cli.Hosting;

/// <summary>The streams a command writes to; tests pass their own.</summary>
public sealed record CliIo(TextWriter Stdout, TextWriter Stderr)
{
    public static CliIo Console { get; } = new(System.Console.Out, System.Console.Error);
}
