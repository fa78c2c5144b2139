using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>Runs odh-migrate in-process, with a given stdin and a say on whether it counts as a terminal.</summary>
public static class Umbrella
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + "\n" + Stderr;

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(string[] args, string? typed = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr, new StringReader(typed ?? ""), Terminal: typed is not null);
        var exit = await CliApp.RunAsync(UmbrellaCommand.Create(io), args, io, TestContext.Current.CancellationToken);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}
