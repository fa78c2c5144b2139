using System.Text.RegularExpressions;
using OdhMigration.Cli.Tests.Process;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>
/// Folders the tool may not write, produced for real: the tool runs as a user the file modes apply to. Each case is
/// exit 2 with one sentence naming the path, no stack trace, no runtime resource key, and nothing half-written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class PermissionDeniedTests
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Writable = ReadOnly | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-basic.yaml");

    [Fact]
    public async Task Discover_into_a_workspace_it_may_not_write_exits_2_naming_the_path()
    {
        await SkipUnlessAvailableAsync();
        using var box = new HostileSandbox();
        using var restore = new Restore(box.Workspace);
        File.SetUnixFileMode(box.Workspace, ReadOnly);

        var result = await UnprivilegedTool.RunAsync("odh-discover", "--workspace", box.Workspace, "--snapshot", Sample, "-n", "fraud-detection");

        AssertPlainUsageError(result.ExitCode, result.StandardError);
        Assert.Contains($"cannot read or write {box.Workspace}/", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("permission denied", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(box.Workspace));
        box.AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task A_read_only_result_dir_exits_2_naming_it_before_the_stage_runs()
    {
        await SkipUnlessAvailableAsync();
        using var box = new HostileSandbox();
        File.SetUnixFileMode(box.Workspace, Writable);
        var results = Path.Combine(box.Parent, "results");
        Directory.CreateDirectory(results);
        using var restore = new Restore(results);
        File.SetUnixFileMode(results, ReadOnly);

        var result = await UnprivilegedTool.RunAsync("odh-discover", "--workspace", box.Workspace, "--snapshot", Sample, "-n", "fraud-detection", "--result-dir", results);

        AssertPlainUsageError(result.ExitCode, result.StandardError);
        Assert.Contains($"--result-dir {results}: cannot write there", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(results));
        Assert.Empty(Directory.EnumerateFileSystemEntries(box.Workspace));
    }

    [Fact]
    public async Task Export_into_a_workspace_that_became_read_only_exits_2_and_leaves_it_as_it_was()
    {
        await SkipUnlessAvailableAsync();
        using var box = new HostileSandbox();
        var discover = await ToolProcess.RunAsync("odh-discover", ["--workspace", box.Workspace, "--snapshot", Sample, "-n", "fraud-detection"]);
        Assert.Equal(ExitCodes.Success, discover.ExitCode);
        using var restore = new Restore(box.Workspace);
        File.SetUnixFileMode(box.Workspace, ReadOnly);
        var before = Listing(box.Workspace);

        var result = await UnprivilegedTool.RunAsync("odh-export", "--workspace", box.Workspace, "--snapshot", Sample);

        AssertPlainUsageError(result.ExitCode, result.StandardError);
        Assert.Contains($"cannot read or write {box.Workspace}/", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, Listing(box.Workspace));
        Assert.False(File.Exists(box.Layout.Export));
        box.AssertNothingOutsideChanged();
    }

    /// <summary>Gives write permission back, so the sandbox can be removed when the tests do not run as root.</summary>
    private sealed class Restore(params string[] paths) : IDisposable
    {
        public void Dispose()
        {
            foreach (var path in paths.Where(Directory.Exists))
            {
                File.SetUnixFileMode(path, Writable);
            }
        }
    }

    private static async Task SkipUnlessAvailableAsync()
    {
        if (await UnprivilegedTool.WhyUnavailableAsync() is { } why)
        {
            Assert.Skip(why);
        }
    }

    private static void AssertPlainUsageError(int exitCode, string stderr)
    {
        Assert.True(exitCode == ExitCodes.UsageError, $"exit {exitCode}, expected {ExitCodes.UsageError}; stderr:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), stderr);
    }

    private static string[] Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"\b(IO|UnauthorizedAccess|Arg|Argument|net_http|net_io)_[A-Za-z_]+")]
    private static partial Regex ResourceKey();
}
