using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Commands.Run;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Tests.Reporting;

/// <summary>
/// Credentials in a storageUri and env values, planned by the real engines: no written report and no console line
/// shows them, every report still names them, and the manifest apply would apply keeps the real values.
/// </summary>
public sealed class ReportRedactionTests
{
    private const string Password = "Pa55w0rdXYZ";
    private const string Signature = "SiGnAtUrE1234567";
    private const string EnvValue = "EnvSecretValue987";
    private static readonly string[] Secrets = [Password, Signature, EnvValue];

    private static async Task<(TempWorkspace Ws, string Snapshot)> PlanWithSecretsAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, "serverless-team.yaml"), TestContext.Current.CancellationToken);
        const string line = "      storageUri: s3://models/churn/v1\n";
        Assert.Contains(line, text, StringComparison.Ordinal);
        var secretUri = $"https://modeluser:{Password}@minio.example.com/models/churn/v1?X-Amz-Date=20260101&X-Amz-Signature={Signature}";
        text = text.Replace(line, $"      storageUri: {secretUri}\n      env:\n        - name: API_TOKEN_SETTING\n          value: {EnvValue}\n", StringComparison.Ordinal);
        var snapshot = Path.Combine(Path.GetTempPath(), $"odh-redact-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(snapshot, text, TestContext.Current.CancellationToken);
        var ws = new TempWorkspace();
        var result = await new PlanningChain(SnapshotCluster.Load(snapshot), new MemoryStageLog(), NullProgressSink.Instance)
            .RunAsync(new PlanningChainOptions(new DiscoverOptions { Namespaces = ["ml-team"] }, new ExportOptions(), new TransformOptions()), ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);
        return (ws, snapshot);
    }

    private static void AssertNoSecret(string where, string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} shows {secret}:\n{text}");
        }
    }

    [Fact]
    public async Task Report_md_and_html_show_names_but_no_credential_or_env_value_while_the_applied_manifest_keeps_them()
    {
        var (ws, snapshot) = await PlanWithSecretsAsync();
        using var _ = ws;
        File.Delete(snapshot);

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "report", ws.Path);

        Assert.Equal(0, result.ExitCode);
        var markdown = await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.md"), TestContext.Current.CancellationToken);
        var html = await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.html"), TestContext.Current.CancellationToken);
        AssertNoSecret("report.md", markdown);
        AssertNoSecret("report.html", html);
        AssertNoSecret("console", result.Stdout + result.Stderr);
        foreach (var report in new[] { markdown, html })
        {
            Assert.Contains("API_TOKEN_SETTING", report, StringComparison.Ordinal);
            Assert.Contains("minio.example.com/models/churn/v1", report, StringComparison.Ordinal);
            Assert.Contains("X-Amz-Signature=***", report, StringComparison.Ordinal);
        }

        // Only what humans see is masked: the manifest apply applies keeps the real URL and value.
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(ws.Layout, TestContext.Current.CancellationToken);
        var churn = plan.Items.Single(i => i.Name == "churn-internal");
        var applied = await File.ReadAllTextAsync(ws.Layout.Absolute(churn.Files.Single(f => f.Kind == "InferenceService").Path), TestContext.Current.CancellationToken);
        Assert.Contains(Password, applied, StringComparison.Ordinal);
        Assert.Contains(Signature, applied, StringComparison.Ordinal);
        Assert.Contains(EnvValue, applied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plan_gate_on_the_console_shows_the_diff_without_credentials_or_env_values()
    {
        var (ws, snapshot) = await PlanWithSecretsAsync();
        using var _ = ws;
        File.Delete(snapshot);
        using var output = new StringWriter();
        var log = new MemoryStageLog();
        var gate = new ApprovalGate(new StringReader(""), output, interactive: false, new HashSet<string>(), "--approve plan,cleanup");
        var settings = new MigrationRunSettings("run", null, new ApplyOptions(), new ValidateOptions(), new CleanupOptions());

        var outcome = await new MigrationRun(new UntouchableCluster(), ws.Layout, log, output, gate, NullProgressSink.Instance).RunAsync(settings, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.PreconditionFailed, outcome.ExitCode);
        var console = output.ToString();
        Assert.Contains("== gate: plan, before apply", console, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN_SETTING", console, StringComparison.Ordinal);
        Assert.Contains("minio.example.com", console, StringComparison.Ordinal);
        AssertNoSecret("gate output", console);
        AssertNoSecret("log", string.Join("\n", log.Lines.Select(l => l.Message)));
        AssertNoSecret("report.md", await File.ReadAllTextAsync(Path.Combine(ws.Path, "report.md"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Validation_summaries_and_the_pipeline_summary_mask_credentials_in_urls()
    {
        using var ws = new TempWorkspace();
        var secretUrl = $"https://user:{Password}@old.example.com/v1?sig={Signature}";
        var validation = new Validation
        {
            Items =
            [
                new ValidatedItem { Namespace = "ns", Name = "m", TargetNamespace = "ns", TargetName = "m-raw", Passed = false, Reason = "NotReady", Message = $"storage {secretUrl} unreachable", Url = secretUrl, Endpoint = new EndpointMap(secretUrl, "https://new.example.com", "ns", "m-raw", "tok-secret") },
            ],
        };

        var markdown = ValidationReports.Markdown(validation);
        var junit = ValidationReports.JUnit(validation);
        await File.WriteAllTextAsync(Path.Combine(ws.Path, "validation-summary.md"), $"hand-made summary with {secretUrl}\n", TestContext.Current.CancellationToken);
        var pipeline = await PipelineSummary.BuildAsync(ws.Layout, "run", "Succeeded", [("apply", "Succeeded")], TestContext.Current.CancellationToken);

        foreach (var (name, text) in new[] { ("validation-summary.md", markdown), ("validation-junit.xml", junit), ("pipeline-summary.md", pipeline) })
        {
            AssertNoSecret(name, text);
            Assert.Contains("old.example.com/v1?sig=***", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The gate must stop before anything reaches a cluster: every call fails the test.</summary>
    private sealed class UntouchableCluster : ICluster
    {
        public string Description => "untouchable";

        public string BackingType => "cluster";

        public Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) => throw Touched();

        public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) => throw Touched();

        public Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => throw Touched();

        public Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default) => throw Touched();

        public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default) => throw Touched();

        public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) => throw Touched();

        public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default) => throw Touched();

        public Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default) => throw Touched();

        private static InvalidOperationException Touched() => new("the cluster was called before the plan gate was passed");
    }
}
