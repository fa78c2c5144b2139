using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Tests.Reporting;

public sealed class PipelineSummaryCommandTests
{
    [Fact]
    public async Task Writes_statuses_document_hashes_and_validation_summary_into_the_workspace()
    {
        var ws = Directory.CreateTempSubdirectory("odh-summary-").FullName;
        try
        {
            var ct = TestContext.Current.CancellationToken;
            await File.WriteAllTextAsync(Path.Combine(ws, "inventory.json"), "{\"kind\":\"Inventory\"}", ct);
            await File.WriteAllTextAsync(Path.Combine(ws, "plan.json"), "{\"kind\":\"Plan\"}", ct);
            await File.WriteAllTextAsync(Path.Combine(ws, "validation-summary.md"), "## Validation\n\nall 2 passed\n", ct);

            var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "pipeline-summary", "--workspace", ws, "--title", "fraud|detection", "--pipeline-status", "Failed", "discover=Succeeded", "apply=Failed", "cleanup=None");

            Assert.Equal(ExitCodes.Success, result.ExitCode);
            var written = await File.ReadAllTextAsync(Path.Combine(ws, "pipeline-summary.md"), ct);
            Assert.Equal(written, result.Stdout);
            Assert.Contains("# Migration run: fraud\\|detection", written, StringComparison.Ordinal);
            Assert.Contains("Pipeline status: **Failed**", written, StringComparison.Ordinal);
            Assert.Contains("| apply | Failed |", written, StringComparison.Ordinal);
            Assert.Contains($"| inventory.json | {await Hashing.Sha256FileAsync(Path.Combine(ws, "inventory.json"), ct)} |", written, StringComparison.Ordinal);
            Assert.Contains("| plan.json |", written, StringComparison.Ordinal);
            Assert.DoesNotContain("ledger.json", written, StringComparison.Ordinal);
            Assert.EndsWith("all 2 passed\n", written, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
        }
    }

    [Theory]
    [InlineData("discover")]
    [InlineData("=Succeeded")]
    public async Task A_status_that_is_not_task_equals_status_is_a_usage_error(string entry)
    {
        var ws = Directory.CreateTempSubdirectory("odh-summary-").FullName;
        try
        {
            var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "pipeline-summary", "--workspace", ws, entry);
            Assert.Equal(ExitCodes.UsageError, result.ExitCode);
            Assert.Contains($"task-status '{entry}'", result.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(ws, "pipeline-summary.md")));
        }
        finally
        {
            Directory.Delete(ws, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_workspace_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "pipeline-summary", "--workspace", "/nonexistent/odh-ws");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }
}
