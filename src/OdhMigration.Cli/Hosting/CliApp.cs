using System.CommandLine;
using System.CommandLine.Help;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Hosting;

/// <summary>Entry point shared by every tool: parse, report usage errors with exit code 2, run.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(RootCommand root, string[] args, CliIo? io = null, CancellationToken cancellationToken = default)
    {
        io ??= CliIo.Console;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await io.Stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await io.Stderr.WriteLineAsync($"Run '{root.Name} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = io.Stdout, Error = io.Stderr };
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
