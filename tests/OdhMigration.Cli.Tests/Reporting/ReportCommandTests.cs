using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Reporting;

public sealed class ReportCommandTests
{
    private static readonly string[] Sections = ["# InferenceService migration report", "## Summary", "## Not migrated", "## Endpoint map", "## InferenceServices", "#### InferenceService before / after", "#### Objects apply creates", "#### Originals cleanup will delete (after validation)", "#### Kept (never deleted)"];

    [Fact]
    public async Task Serverless_report_has_every_section_the_mode_change_and_escapes_injected_html()
    {
        using var ws = await ReportTestWorkspaces.ServerlessAsync();

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", ws.Path);

        Assert.Equal(0, result.ExitCode);
        var markdown = await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.md"), TestContext.Current.CancellationToken);
        var html = await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.html"), TestContext.Current.CancellationToken);
        foreach (var section in Sections)
        {
            Assert.Contains(section, markdown, StringComparison.Ordinal);
        }

        Assert.Contains("### ml-team/credit-scoring", markdown, StringComparison.Ordinal);
        Assert.Contains("\n-    serving.kserve.io/deploymentMode: Serverless\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n+    serving.kserve.io/deploymentMode: RawDeployment\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| ml-team/credit-scoring | https://credit-scoring-ml-team.apps.example.com | ml-team/credit-scoring-raw |", markdown, StringComparison.Ordinal);
        Assert.Contains("Secret default-name-credit-scoring-raw-sa", markdown, StringComparison.Ordinal);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"add\">+    serving.kserve.io/deploymentMode: RawDeployment</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", markdown.Replace("```diff", "", StringComparison.Ordinal).Split("```")[0], StringComparison.OrdinalIgnoreCase);
        AssertNoSecrets(markdown, html, result.Stdout, result.Stderr);
    }

    [Fact]
    public async Task Print_puts_the_whole_report_md_in_the_log_for_approvers_without_secrets()
    {
        using var ws = await ReportTestWorkspaces.ServerlessAsync();

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", "--workspace", ws.Path, "--print");

        Assert.Equal(0, result.ExitCode);
        var markdown = await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.md"), TestContext.Current.CancellationToken);
        // Printed through the same redaction as every log line (which also masks prose such as "token: clients").
        Assert.Contains(OdhMigration.Cli.Hosting.Redactor.Redact(markdown).TrimEnd(), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n+    serving.kserve.io/deploymentMode: RawDeployment\n", result.Stdout, StringComparison.Ordinal);
        AssertNoSecrets(markdown, "", result.Stdout, result.Stderr);

        var quiet = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", "--workspace", ws.Path);
        Assert.DoesNotContain("## Summary", quiet.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelMesh_report_shows_new_namespace_targets_secret_copies_and_validation_when_present()
    {
        using var ws = await ReportTestWorkspaces.ModelMeshAsync();
        await File.WriteAllTextAsync(ws.Layout.Validation, """
            {"schemaVersion":1,"kind":"Validation","passed":1,"failed":1,"items":[
              {"namespace":"mm-models","name":"mnist","passed":true,"reason":"Passed","message":"Ready and answered","url":"https://mnist-mm-models-raw.apps.example.com"},
              {"namespace":"mm-models","name":"fraud-onnx","passed":false,"reason":"NotReady","message":"predictor not ready","remedies":["check the runtime image"]}]}
            """, TestContext.Current.CancellationToken);
        var outDir = Path.Combine(ws.Path, "out");

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", ws.Path, "--out", outDir);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(ws.Path, "report.md")));
        var markdown = await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"), TestContext.Current.CancellationToken);
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"), TestContext.Current.CancellationToken);
        foreach (var section in Sections)
        {
            Assert.Contains(section, markdown, StringComparison.Ordinal);
        }

        Assert.Contains("Strategy new-namespace (ModelMesh -&gt; RawDeployment): the replacement is mm-models-raw/mnist", markdown, StringComparison.Ordinal);
        Assert.Contains("\n-    serving.kserve.io/deploymentMode: ModelMesh\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Secret aws-connection-models | whole Secret | mm-models |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Validation passed | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Failed: NotReady. predictor not ready", markdown, StringComparison.Ordinal);
        Assert.Contains("- check the runtime image", markdown, StringComparison.Ordinal);
        Assert.Contains("https://mnist-mm-models-raw.apps.example.com", html, StringComparison.Ordinal);
        AssertNoSecrets(markdown, html, result.Stdout, result.Stderr);
    }

    [Fact]
    public async Task Missing_workspace_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", Path.Combine(Path.GetTempPath(), "odh-no-such-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    private static void AssertNoSecrets(params string[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in ReportTestWorkspaces.SecretValues)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
