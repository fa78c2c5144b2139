using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Tests.Process;

/// <summary>odh-transform's wave options through the real executable: exit codes and what lands in plan.json.</summary>
public sealed class WaveOptionProcessTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-team.yaml");

    private static async Task<TempWorkspace> ExportedAsync()
    {
        var ws = new TempWorkspace();
        foreach (var (tool, extra) in new[] { ("odh-discover", new[] { "-n", "ml-team" }), ("odh-export", Array.Empty<string>()) })
        {
            var result = await ToolProcess.RunAsync(tool, ["--workspace", ws.Path, "--snapshot", Sample, .. extra]);
            Assert.True(result.ExitCode == 0, $"{tool} exited {result.ExitCode}: {result.StandardError}");
        }

        return ws;
    }

    [Fact]
    public async Task Wave_size_plans_waves_and_waves_auto_without_capacity_json_is_a_usage_error()
    {
        using var ws = await ExportedAsync();

        var auto = await ToolProcess.RunAsync("odh-transform", ["--workspace", ws.Path, "--waves", "auto"]);
        Assert.Equal(2, auto.ExitCode);
        Assert.Contains("--wave-size", auto.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Plan));

        var both = await ToolProcess.RunAsync("odh-transform", ["--workspace", ws.Path, "--waves", "auto", "--wave-size", "2"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("mutually exclusive", both.StandardError, StringComparison.Ordinal);

        var unknown = await ToolProcess.RunAsync("odh-transform", ["--workspace", ws.Path, "--wave-size", "1", "--wave-order", "ml-team/nope"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'ml-team/nope'", unknown.StandardError, StringComparison.Ordinal);

        var sized = await ToolProcess.RunAsync("odh-transform", ["--workspace", ws.Path, "--wave-size", "1", "--wave-order", "ml-team/credit-scoring", "--waves", ""]);
        Assert.True(sized.ExitCode == 0, sized.StandardError);
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(["ml-team/credit-scoring"], plan.Waves![0].Items);
        Assert.Equal(2, plan.Items.Single(i => i.Name == "churn-v2").Wave);
    }
}
