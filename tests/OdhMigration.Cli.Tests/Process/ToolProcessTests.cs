using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Process;

/// <summary>The real executables: exit codes and streams as a pipeline sees them.</summary>
public sealed class ToolProcessTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-basic.yaml");

    public static TheoryData<string> Tools => new(ToolProcess.Tools);

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Every_tool_answers_help(string tool)
    {
        var result = await ToolProcess.RunAsync(tool, ["--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Umbrella_subcommand_behaves_exactly_like_the_stage_tool()
    {
        using var a = new TempWorkspace();
        using var b = new TempWorkspace();
        var standalone = await ToolProcess.RunAsync("odh-discover", ["--workspace", a.Path, "--snapshot", Sample, "-n", "fraud-detection", "-o", "json"]);
        var umbrella = await ToolProcess.RunAsync("odh-migrate", ["discover", "--workspace", b.Path, "--snapshot", Sample, "-n", "fraud-detection", "-o", "json"]);

        Assert.Equal(0, standalone.ExitCode);
        Assert.Equal(standalone.ExitCode, umbrella.ExitCode);
        var strip = (string s) => System.Text.RegularExpressions.Regex.Replace(s, "\"inventory-sha256\": \"[0-9a-f]+\"", "");
        Assert.Equal(strip(standalone.StandardOutput), strip(umbrella.StandardOutput));
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_write_nothing_to_stdout()
    {
        var result = await ToolProcess.RunAsync("odh-transform", ["--workspace", "/nonexistent", "--no-such-option"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains("--no-such-option", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_falls_back_to_the_environment_variable()
    {
        using var ws = new TempWorkspace();
        var result = await ToolProcess.RunAsync("odh-discover", ["--snapshot", Sample, "-n", "fraud-detection"], new Dictionary<string, string?> { ["ODH_MIGRATION_WORKSPACE"] = ws.Path });
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(ws.Layout.Inventory));
    }

    [Fact]
    public async Task Offline_chain_runs_through_the_separate_tools()
    {
        using var ws = new TempWorkspace();
        foreach (var (tool, extra) in new[] { ("odh-discover", new[] { "-n", "fraud-detection" }), ("odh-export", Array.Empty<string>()), ("odh-transform", Array.Empty<string>()) })
        {
            var result = await ToolProcess.RunAsync(tool, ["--workspace", ws.Path, "--snapshot", Sample, .. extra]);
            Assert.True(result.ExitCode == 0, $"{tool} exited {result.ExitCode}: {result.StandardError}");
        }

        Assert.True(Directory.Exists(ws.Layout.Raw("fraud-detection", "fraud-model")));
        Assert.True(File.Exists(ws.Layout.Plan));
    }
}
