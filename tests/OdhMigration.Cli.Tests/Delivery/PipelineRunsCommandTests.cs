using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>odh-migrate pipelineruns on a workspace discover filled from the sample snapshot.</summary>
public sealed class PipelineRunsCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("odh-pipelineruns-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var code = await CliApp.RunAsync(UmbrellaCommand.Create(io), args, io, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task DiscoverSampleAsync()
    {
        var sample = RepoPaths.Combine("samples", "serverless-basic.yaml");
        var (code, _, stderr) = await RunAsync("discover", "--workspace", _workspace, "--snapshot", sample, "-n", "fraud-detection");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task Emits_one_run_per_namespace_selecting_exactly_what_discover_selected()
    {
        await DiscoverSampleAsync();
        var (inventory, _) = await WorkspaceDocuments.ReadInventoryAsync(new WorkspaceLayout(_workspace), TestContext.Current.CancellationToken);
        var selected = inventory.Items.Where(i => i.Selected).ToList();
        Assert.NotEmpty(selected);

        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice,group:model-admins", "--strategy", "side-by-side");
        Assert.True(code == 0, stderr);

        var runs = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).ToList();
        Assert.Equal(selected.Select(i => i.Namespace).Distinct().Order(), runs.Select(r => r.Items("spec", "params").Single(p => p.Str("name") == "namespace").Str("value")).Order());
        var run = Assert.Single(runs);
        Assert.Equal(("tekton.dev/v1", "PipelineRun", "migrate-fraud-detection"), (run.Str("apiVersion"), run.Str("kind"), run.Str("metadata", "name")));
        var param = run.Items("spec", "params").ToDictionary(p => p.Str("name")!, p => p["value"]);
        Assert.Equal(string.Join(',', selected.Select(i => i.Name).Order()), param["select"]!.GetValue<string>());
        Assert.Equal(["alice", "group:model-admins"], param["approvers"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("1", param["approvals-required"]!.GetValue<string>());
        Assert.Equal("side-by-side", param["strategy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runs_fit_the_pipeline_and_the_rbac_they_name()
    {
        await DiscoverSampleAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice");
        Assert.True(code == 0, stderr);
        var run = Assert.IsType<JsonObject>(Yaml.ParseSingle(stdout, "stdout"));

        var pipeline = DeliveryFiles.Pipeline("migrate-namespace", run.Str("spec", "pipelineRef", "name")!);
        var declared = pipeline.Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(run.Items("spec", "params"), p => Assert.Contains(p.Str("name"), declared));
        Assert.All(pipeline.Items("spec", "params").Where(p => p["default"] is null), p => Assert.Contains(p.Str("name"), run.Items("spec", "params").Select(r => r.Str("name"))));

        var accounts = DeliveryFiles.All("tekton", "rbac", "service-accounts.yaml").Select(a => a.Str("metadata", "name")).ToHashSet();
        var specs = run.Items("spec", "taskRunSpecs").ToList();
        Assert.All(specs, s => Assert.Contains(s.Str("serviceAccountName"), accounts));
        var stageTasks = pipeline.Items("spec", "tasks").Where(t => t.Str("taskRef", "name")?.StartsWith("odh-", StringComparison.Ordinal) == true).Select(t => t.Str("name"));
        Assert.Equal(stageTasks.Order(), specs.Select(s => s.Str("pipelineTaskName")).Order());
        Assert.Equal("odh-migration-cleanup", specs.Single(s => s.Str("pipelineTaskName") == "cleanup").Str("serviceAccountName"));
        Assert.Equal("odh-migration-transform", run.Str("spec", "taskRunTemplate", "serviceAccountName"));
        Assert.NotNull(run["spec"]!["workspaces"]![0]!["volumeClaimTemplate"]);
    }

    [Fact]
    public async Task Image_per_tool_becomes_the_pipelines_image_param_and_an_unknown_tool_is_refused()
    {
        await DiscoverSampleAsync();
        var digest = "sha256:" + new string('a', 64);
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice",
            "--image", $"discover=mirror.example/odh/odh-discover@{digest}", "--image", $"migrate=mirror.example/odh/odh-migrate@{digest}");
        Assert.True(code == 0, stderr);
        var run = Assert.IsType<JsonObject>(Yaml.ParseSingle(stdout, "stdout"));
        Assert.Equal($"mirror.example/odh/odh-discover@{digest}", run.Items("spec", "params").Single(p => p.Str("name") == "image-discover").Str("value"));
        Assert.Equal($"mirror.example/odh/odh-migrate@{digest}", run.Items("spec", "params").Single(p => p.Str("name") == "image-migrate").Str("value"));
        Assert.DoesNotContain(run.Items("spec", "params"), p => p.Str("name") == "image-export");

        // Every tool the option accepts is a param of the pipeline, passed to the task that runs that tool.
        var pipeline = DeliveryFiles.Pipeline("migrate-namespace", "migrate-namespace");
        foreach (var tool in PipelineRunBuilder.ImageTools)
        {
            Assert.Contains(pipeline.Items("spec", "params"), p => p.Str("name") == "image-" + tool);
        }

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--image", "odh-discover=x@" + digest);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("unknown tool 'odh-discover'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_dir_gets_one_file_per_run()
    {
        await DiscoverSampleAsync();
        var outDir = Path.Combine(_workspace, "runs");
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--out-dir", outDir);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        var file = Assert.Single(Directory.GetFiles(outDir));
        Assert.Equal("migrate-fraud-detection.yaml", Path.GetFileName(file));
    }

    [Fact]
    public async Task Refuses_without_approvers_and_without_an_inventory()
    {
        await DiscoverSampleAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--approvers", stderr, StringComparison.Ordinal);

        var empty = Directory.CreateTempSubdirectory("odh-empty-").FullName;
        try
        {
            (code, stdout, _) = await RunAsync("pipelineruns", "--workspace", empty, "--approvers", "alice");
            Assert.NotEqual(0, code);
            Assert.Equal("", stdout);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Long_namespaces_get_unique_names_within_63_characters()
    {
        var a = PipelineRunBuilder.RunName(new string('a', 60) + "-one");
        var b = PipelineRunBuilder.RunName(new string('a', 60) + "-two");
        Assert.NotEqual(a, b);
        Assert.All(new[] { a, b }, n => Assert.InRange(n.Length, 1, 63));
        Assert.Equal("migrate-fraud-detection", PipelineRunBuilder.RunName("fraud-detection"));
    }
}
