namespace OdhMigration.Cli.Hosting;

/// <summary>
/// The streams a command talks through. Stdin and Terminal default to the process console; tests give their own
/// reader and say whether it counts as a terminal (a gate only asks a human when there is one).
/// </summary>
public sealed record CliIo(TextWriter Stdout, TextWriter Stderr, TextReader? Stdin = null, bool? Terminal = null)
{
    public static CliIo Console { get; } = new(System.Console.Out, System.Console.Error);

    public TextReader Input => Stdin ?? System.Console.In;

    /// <summary>True when someone can answer a prompt: both stdin and stdout are a terminal.</summary>
    public bool HasTerminal => Terminal ?? (!System.Console.IsInputRedirected && !System.Console.IsOutputRedirected);
}
