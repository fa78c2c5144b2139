using CliWrap;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>Runs a real tool process and SIGKILLs it at a chosen moment of its apply journal.</summary>
public static class KillableTool
{
    /// <summary>The tool's built dll, in the same configuration as the tests.</summary>
    public static string Dll(string tool)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", tool, "bin", configuration, "net10.0", tool + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{tool} is not built at {path}");
    }

    /// <summary>
    /// Starts <c>dotnet &lt;tool&gt;.dll args</c>, waits until <paramref name="journal"/> contains <paramref name="marker"/>,
    /// then kills the process (no graceful shutdown). Fails if the tool finished first.
    /// </summary>
    public static async Task RunAndKillWhenJournalShowsAsync(string tool, IEnumerable<string> args, string journal, string marker, TimeSpan timeout)
    {
        using var kill = new CancellationTokenSource();
        var process = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Dll(tool), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);

        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.Task.IsCompleted
            && !(File.Exists(journal) && (await ReadSharedAsync(journal)).Contains(marker, StringComparison.Ordinal)))
        {
            await Task.Delay(5);
        }

        Assert.False(process.Task.IsCompleted, $"{tool} finished before it could be killed");
        await kill.CancelAsync();
        try
        {
            await process;
        }
        catch (OperationCanceledException)
        {
            // Killed, as intended.
        }
    }

    /// <summary>Reads a file another process is appending to.</summary>
    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
