using System.CommandLine;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Tests.Commands;

/// <summary>Runs a command in-process with captured streams.</summary>
public static class CliHarness
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(Func<CliIo, RootCommand> create, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var exit = await CliApp.RunAsync(create(io), args, io, TestContext.Current.CancellationToken);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}
