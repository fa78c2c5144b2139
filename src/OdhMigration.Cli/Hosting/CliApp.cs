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
        var parse = root.Parse(WithoutEmptyOptions(args));
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await io.Stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await io.Stderr.WriteLineAsync($"Run '{root.Name} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        // The library's own handler prints a stack trace and exits 1; LastResort says what happened instead.
        var configuration = new InvocationConfiguration { Output = io.Stdout, Error = io.Stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var (code, message) = LastResort.Map(ex, cancellationToken);
            await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ConsoleStageLog.Escape(message))}").ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>
    /// Tekton and CI pass every param whether set or not, and a step without a shell cannot leave one out, so an
    /// option given an empty value ("--context" "" or "--context=") counts as not given and its default applies.
    /// Not the approval gates' expected sha256 (--expect-*-sha256): an empty one must reach the stage, which
    /// refuses it (usage error, or exit 3 under --require-gate) instead of running with no gate at all. Nor
    /// --field-manager: its Tekton param and action input carry the default, so an empty one was typed on purpose
    /// and is refused (usage error) rather than quietly becoming the default owner of the fields.
    /// </summary>
    public static string[] WithoutEmptyOptions(IReadOnlyList<string> args)
    {
        var kept = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && arg.EndsWith('='))
            {
                // Kept ones are spelled as two tokens: the parser reads "--x=" as the option without a value.
                if (KeepsEmptyValue(arg[..^1]))
                {
                    kept.Add(arg[..^1]);
                    kept.Add("");
                }

                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count && args[i + 1].Length == 0 && !KeepsEmptyValue(arg))
            {
                i++;
                continue;
            }

            kept.Add(arg);
        }

        return [.. kept];
    }

    private static bool KeepsEmptyValue(string option) =>
        option == Commands.Options.ApplyChoiceOptions.FieldManagerName
        || (option.StartsWith("--expect-", StringComparison.Ordinal) && option.EndsWith("-sha256", StringComparison.Ordinal));
}
