using CliWrap;
using CliWrap.Buffered;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Process;

/// <summary>Runs a built tool as a real process (its framework-dependent build, via the dotnet host).</summary>
public static class ToolProcess
{
    public static readonly string[] Tools =
        ["odh-discover", "odh-export", "odh-transform", "odh-apply", "odh-validate", "odh-cleanup", "odh-dsc-finalize", "odh-migrate"];

    public static string DllPath(string tool)
    {
        // Same configuration as this test assembly (bin/<Configuration>/net10.0/).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "src", tool, "bin", configuration, "net10.0", tool + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{tool} is not built at {path}");
    }

    public static Task<BufferedCommandResult> RunAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        CliWrap.Cli.Wrap("dotnet")
            .WithArguments([DllPath(tool), .. args])
            .WithWorkingDirectory(RepoPaths.Root)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
}
