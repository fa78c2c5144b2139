using System.Net.Http;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Cli.Tests.Process;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>Unusable workspaces and result folders end as exit 2 with a sentence naming the path; never a stack trace or a resource key.</summary>
public sealed class LastResortTests
{
    private static readonly string Sample = Path.Combine(Core.Tests.Support.RepoPaths.Samples, "serverless-basic.yaml");

    [Fact]
    public async Task A_workspace_that_is_a_file_exits_2_naming_it()
    {
        using var box = new HostileSandbox();
        var file = Path.Combine(box.Parent, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", file, "--snapshot", Sample, "-n", "fraud-detection");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains($"--workspace {file}: is a file, not a folder", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("x", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_workspace_below_a_file_exits_2_with_a_plain_sentence()
    {
        using var box = new HostileSandbox();
        var file = Path.Combine(box.Parent, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", Path.Combine(file, "ws"), "--snapshot", Sample, "-n", "fraud-detection");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("file system error", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("below-file")]
    public async Task An_unusable_result_dir_exits_2_before_anything_is_done(string shape)
    {
        using var box = new HostileSandbox();
        var file = Path.Combine(box.Parent, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var resultDir = shape == "file" ? file : Path.Combine(file, "results");
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", box.Workspace, "--snapshot", Sample, "-n", "fraud-detection", "--result-dir", resultDir);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains($"--result-dir {resultDir}", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(box.Layout.Inventory));
    }

    [Fact]
    public async Task A_real_tool_never_shows_a_runtime_resource_key()
    {
        // The tools run with System.Resources.UseSystemResourceKeys, so the runtime's own messages are bare keys.
        using var box = new HostileSandbox();
        var file = Path.Combine(box.Parent, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var result = await ToolProcess.RunAsync("odh-discover", ["--workspace", Path.Combine(file, "ws"), "--snapshot", Sample, "-n", "fraud-detection"]);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.DoesNotMatch(@"\b(IO|UnauthorizedAccess|Arg|net_http)_[A-Za-z_]+", result.StandardError);
        Assert.Contains(Path.Combine(file, "ws"), result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IO_FileExists_Name, /ws/x", "/ws/x: a file already exists where a folder or a new file is needed")]
    [InlineData("UnauthorizedAccess_IODenied_Path, /ws/plan.json", "/ws/plan.json: permission denied")]
    [InlineData("IO_PathNotFound_Path, /nowhere", "/nowhere: folder not found")]
    [InlineData("IO_Unheard_Of_Key, /p", "/p: input/output error")]
    public void Resource_keys_become_sentences_naming_the_path(string message, string expected)
    {
        Exception ex = message.StartsWith("Unauthorized", StringComparison.Ordinal) ? new UnauthorizedAccessException(message) : new IOException(message);
        var described = PlainErrors.Describe(ex);
        Assert.Equal(expected, described);
        Assert.DoesNotContain("_", described.Replace("/ws/", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Http_resource_keys_become_sentences()
    {
        var ex = new HttpRequestException("net_http_client_execution_error", new IOException("net_io_connectionreset"));
        var (code, message) = LastResort.Map(ex, CancellationToken.None);
        Assert.Equal(ExitCodes.PartialFailure, code);
        Assert.Contains("cannot reach the cluster: the request to the server failed", message, StringComparison.Ordinal);
        Assert.DoesNotContain("net_http", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unauthorized_access_maps_to_exit_2_naming_the_path()
    {
        var (code, message) = LastResort.Map(new UnauthorizedAccessException("Access to the path '/ws/inventory.json' is denied."), CancellationToken.None);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("cannot read or write /ws/inventory.json: permission denied", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_without_a_stack_trace()
    {
        var root = new System.CommandLine.RootCommand();
        root.SetAction((Func<System.CommandLine.ParseResult, int>)(_ => throw new InvalidOperationException("boom")));
        var result = await CliHarness.RunAsync(_ => root);
        Assert.Equal(ExitCodes.PartialFailure, result.ExitCode);
        Assert.Contains("error: unexpected InvalidOperationException: boom", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
