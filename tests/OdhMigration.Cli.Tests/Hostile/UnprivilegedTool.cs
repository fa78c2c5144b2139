using CliWrap;
using CliWrap.Buffered;
using OdhMigration.Cli.Tests.Process;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>
/// Runs a built tool as a user file permissions apply to. Root ignores them, so a test running as root runs the
/// tool as nobody (uid/gid 65534) through setpriv or runuser; any other user runs it directly.
/// </summary>
public static class UnprivilegedTool
{
    private const int Nobody = 65534;

    private static readonly Lazy<Task<(string[]? Prefix, string? Why)>> Runner = new(FindRunnerAsync);

    /// <summary>Null when it cannot be done here, with the reason to skip.</summary>
    public static async Task<string?> WhyUnavailableAsync() => (await Runner.Value.ConfigureAwait(false)).Why;

    public static async Task<BufferedCommandResult> RunAsync(string tool, params string[] args)
    {
        var (prefix, why) = await Runner.Value.ConfigureAwait(false);
        if (prefix is null)
        {
            throw new InvalidOperationException(why);
        }

        string[] command = [.. prefix, "dotnet", ToolProcess.DllPath(tool), .. args];
        return await CliWrap.Cli.Wrap(command[0])
            .WithArguments(command[1..])
            .WithWorkingDirectory(Path.GetTempPath())
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_HOME"] = Path.GetTempPath() })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
    }

    private static async Task<(string[]? Prefix, string? Why)> FindRunnerAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "permission tests drop privileges the Linux way (setpriv, /proc); not run on this OS");
        }

        if (EffectiveUid() != 0)
        {
            return ([], null);
        }

        string[][] candidates =
        [
            ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"],
            ["runuser", "-u", "nobody", "--"],
        ];
        foreach (var candidate in candidates)
        {
            var probe = await CliWrap.Cli.Wrap(candidate[0])
                .WithArguments([.. candidate[1..], "test", "-r", ToolProcess.DllPath("odh-discover")])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(TestContext.Current.CancellationToken)
                .Task.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.ExitCode : -1, TaskScheduler.Default).ConfigureAwait(false);
            if (probe == 0)
            {
                return (candidate, null);
            }
        }

        return (null, $"running as root and neither setpriv nor runuser can run a tool as uid {Nobody} that reads {RepoPaths.Root}; root ignores file permissions, so the permission-denied cases cannot be produced");
    }

    private static int EffectiveUid()
    {
        // "Uid:\treal\teffective\tsaved\tfs"
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
