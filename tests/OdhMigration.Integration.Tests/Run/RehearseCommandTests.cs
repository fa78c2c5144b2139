using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>odh-migrate rehearse: the whole chain on the embedded simulator, for each sample the README offers.</summary>
public sealed class RehearseCommandTests
{
    [Theory]
    [InlineData("serverless-basic.yaml", "fraud-detection")]
    [InlineData("serverless-team.yaml", "ml-team")]
    [InlineData("modelmesh-team.yaml", "mm-models", "--target-namespace", "mm-models-raw")]
    [InlineData("modelmesh-team.yaml", "mm-models", "--strategy", "in-place")]
    public async Task Yes_runs_every_stage_through_both_gates_to_cleanup(string sample, string ns, params string[] extra)
    {
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(["rehearse", "--snapshot", Path.Combine(RepoPaths.Samples, sample), "-n", ns, "--workspace", ws.Path, "--yes", .. extra]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var stage in new[] { "discover", "export", "transform", "apply", "validate", "cleanup" })
        {
            Assert.Contains($"\n{stage,-10} succeeded", result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("== gate: plan, before apply", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("== gate: validation, before cleanup", result.Stdout, StringComparison.Ordinal);
        var cleanup = JsonNode.Parse(File.ReadAllText(ws.Layout.Cleanup))!;
        Assert.NotEmpty(cleanup["items"]!.AsArray());
        Assert.True(File.Exists(Path.Combine(ws.Path, "report.html")));
        Assert.DoesNotContain("sample-secret-value-not-real", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typed_answer_other_than_the_word_stops_at_the_plan_gate()
    {
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(["rehearse", "--snapshot", Path.Combine(RepoPaths.Samples, "serverless-basic.yaml"), "-n", "fraud-detection", "--workspace", ws.Path], typed: "yes\n");

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, result.ToString());
        Assert.Contains("type 'apply' to continue", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Ledger));
    }
}
