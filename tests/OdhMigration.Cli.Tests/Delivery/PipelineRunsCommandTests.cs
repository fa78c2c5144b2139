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

        var runs = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Where(d => d.Str("kind") == "PipelineRun").ToList();
        Assert.Equal(selected.Select(i => i.Namespace).Distinct().Order(), runs.Select(r => r.Items("spec", "params").Single(p => p.Str("name") == "namespace").Str("value")).Order());
        var run = Assert.Single(runs);
        Assert.Equal(("tekton.dev/v1", "PipelineRun", "migrate-fraud-detection-"), (run.Str("apiVersion"), run.Str("kind"), run.Str("metadata", "generateName")));

        // A retry is a new run (generateName), never a reason to delete the failed one and its history.
        Assert.Null(run["metadata"]!["name"]);
        Assert.Equal("odh-migration", run.Str("metadata", "namespace"));
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
        var run = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Single(d => d.Str("kind") == "PipelineRun");

        var pipeline = DeliveryFiles.Pipeline("migrate-namespace", run.Str("spec", "pipelineRef", "name")!);
        var declared = pipeline.Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(run.Items("spec", "params"), p => Assert.Contains(p.Str("name"), declared));
        Assert.All(pipeline.Items("spec", "params").Where(p => p["default"] is null), p => Assert.Contains(p.Str("name"), run.Items("spec", "params").Select(r => r.Str("name"))));

        var accounts = DeliveryFiles.All("tekton", "rbac", "service-accounts.yaml").Select(a => a.Str("metadata", "name")).ToHashSet();
        var specs = run.Items("spec", "taskRunSpecs").ToList();
        Assert.All(specs, s => Assert.Contains(s.Str("serviceAccountName"), accounts));
        var stageTasks = pipeline.Items("spec", "tasks").Where(t => t.Str("taskRef", "name")?.StartsWith("odh-", StringComparison.Ordinal) == true && t.Str("taskRef", "name") != "odh-migration-report").Select(t => t.Str("name"));
        Assert.Equal(stageTasks.Order(), specs.Select(s => s.Str("pipelineTaskName")).Order());
        Assert.Equal("odh-migration-cleanup", specs.Single(s => s.Str("pipelineTaskName") == "cleanup").Str("serviceAccountName"));
        Assert.Equal("odh-migration-transform", run.Str("spec", "taskRunTemplate", "serviceAccountName"));
        Assert.Equal(PipelineRunBuilder.ClaimName("fraud-detection"), Assert.Single(run.Items("spec", "workspaces")).Str("persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public async Task The_workspace_is_the_namespaces_own_labelled_pvc_and_no_run_owns_a_volume()
    {
        await DiscoverSampleAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--storage-class", "retained", "--storage-size", "5Gi");
        Assert.True(code == 0, stderr);
        var documents = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).ToList();

        // Nowhere in the output: a volumeClaimTemplate belongs to its run and is deleted with it, backups included.
        Assert.DoesNotContain("volumeClaimTemplate", stdout, StringComparison.Ordinal);
        Assert.All(documents, d => Assert.False(ContainsKey(d, "volumeClaimTemplate"), $"{d.Str("kind")} uses a volumeClaimTemplate"));

        var claim = Assert.Single(documents, d => d.Str("kind") == "PersistentVolumeClaim");
        Assert.Equal(("odh-migration-ws-fraud-detection", "odh-migration"), (claim.Str("metadata", "name"), claim.Str("metadata", "namespace")));
        Assert.Equal("true", claim.Str("metadata", "labels", PipelineRunBuilder.WorkspaceLabel));
        Assert.Equal("fraud-detection", claim.Str("metadata", "labels", PipelineRunBuilder.NamespaceLabel));
        Assert.Contains("Keep it until", claim.Str("metadata", "annotations", PipelineRunBuilder.RetentionAnnotation), StringComparison.Ordinal);
        Assert.Null(claim["metadata"]!["ownerReferences"]);
        Assert.Equal(("retained", "5Gi"), (claim.Str("spec", "storageClassName"), claim.Str("spec", "resources", "requests", "storage")));

        var run = Assert.Single(documents, d => d.Str("kind") == "PipelineRun");
        var workspace = Assert.Single(run.Items("spec", "workspaces"));
        Assert.Equal(claim.Str("metadata", "name"), workspace.Str("persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public async Task Rolebindings_are_generated_per_namespace_from_the_rbac_file()
    {
        await DiscoverSampleAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--pipelines-namespace", "migrations");
        Assert.True(code == 0, stderr);
        var bindings = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Where(d => d.Str("kind") == "RoleBinding").ToList();

        var file = DeliveryFiles.All("tekton", "rbac", "namespace-bindings.yaml").ToList();
        Assert.NotEmpty(file);
        Assert.Equal(file.Select(b => b.Str("metadata", "name")), bindings.Select(b => b.Str("metadata", "name")));
        foreach (var (expected, actual) in file.Zip(bindings))
        {
            Assert.Equal("fraud-detection", actual.Str("metadata", "namespace"));
            Assert.Equal("fraud-detection", actual.Str("metadata", "labels", PipelineRunBuilder.NamespaceLabel));
            Assert.Equal(expected["roleRef"]!.ToJsonString(), actual["roleRef"]!.ToJsonString());
            Assert.Equal(expected.Items("subjects").Select(s => s.Str("name")), actual.Items("subjects").Select(s => s.Str("name")));
            Assert.All(actual.Items("subjects"), s => Assert.Equal("migrations", s.Str("namespace")));
        }

        var other = NamespaceBindings.For("team-b", "odh-migration", "acme-", new Dictionary<string, string>());
        Assert.All(other, b => Assert.Equal("team-b", b.Str("metadata", "namespace")));
        Assert.All(other.SelectMany(b => b.Items("subjects")), s => Assert.StartsWith("acme-", s.Str("name"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_writes_a_pending_run_of_the_split_part_on_the_same_pvc_with_the_approved_sha256()
    {
        await DiscoverSampleAsync();
        var sha = new string('a', 64);
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "apply", "--approved-sha256", sha.ToUpperInvariant());
        Assert.True(code == 0, stderr);
        var run = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Single(d => d.Str("kind") == "PipelineRun");

        Assert.Equal("migrate-fraud-detection-apply-", run.Str("metadata", "generateName"));
        Assert.Equal("PipelineRunPending", run.Str("spec", "status"));
        Assert.Equal("migrate-namespace-apply", run.Str("spec", "pipelineRef", "name"));
        Assert.Equal(sha, run.Items("spec", "params").Single(p => p.Str("name") == "plan-sha256").Str("value"));
        Assert.Equal(PipelineRunBuilder.ClaimName("fraud-detection"), Assert.Single(run.Items("spec", "workspaces")).Str("persistentVolumeClaim", "claimName"));

        var pipeline = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-apply");
        var declared = pipeline.Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(run.Items("spec", "params"), p => Assert.Contains(p.Str("name"), declared));
        var stageTasks = pipeline.Items("spec", "tasks").Select(t => t.Str("name")).Order();
        Assert.Equal(stageTasks, run.Items("spec", "taskRunSpecs").Select(s => s.Str("pipelineTaskName")).Order());

        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "cleanup");
        Assert.Equal(2, code);
        Assert.Contains("--approved-sha256", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "cleanup", "--approved-sha256", "abc");
        Assert.Equal(2, code);
    }

    private static bool ContainsKey(JsonNode? node, string key) => node switch
    {
        JsonObject o => o.Any(p => p.Key == key || ContainsKey(p.Value, key)),
        JsonArray a => a.Any(i => ContainsKey(i, key)),
        _ => false,
    };

    [Fact]
    public async Task Image_per_tool_becomes_the_pipelines_image_param_and_an_unknown_tool_is_refused()
    {
        await DiscoverSampleAsync();
        var digest = "sha256:" + new string('a', 64);
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice",
            "--image", $"discover=mirror.example/odh/odh-discover@{digest}", "--image", $"migrate=mirror.example/odh/odh-migrate@{digest}");
        Assert.True(code == 0, stderr);
        var run = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Single(d => d.Str("kind") == "PipelineRun");
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
        var setup = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "setup")));
        Assert.Equal("fraud-detection.yaml", Path.GetFileName(setup));
        Assert.All(Yaml.ParseDocuments(await File.ReadAllTextAsync(setup, TestContext.Current.CancellationToken), setup), d => Assert.NotEqual("PipelineRun", d.Root.Str("kind")));
        var run = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "runs")));
        Assert.Equal("PipelineRun", Yaml.ParseSingle(await File.ReadAllTextAsync(run, TestContext.Current.CancellationToken), run).Str("kind"));
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
        foreach (var name in new Func<string, string>[] { ns => PipelineRunBuilder.RunPrefix(ns), ns => PipelineRunBuilder.RunPrefix(ns, "cleanup"), PipelineRunBuilder.ClaimName })
        {
            var a = name(new string('a', 60) + "-one");
            var b = name(new string('a', 60) + "-two");
            Assert.NotEqual(a, b);
            Assert.All(new[] { a, b }, n => Assert.InRange(n.Length, 1, 63));
        }

        // generateName gets 5 random characters appended by the API server.
        Assert.InRange(PipelineRunBuilder.RunPrefix(new string('a', 63)).Length, 1, 58);
        Assert.Equal("migrate-fraud-detection-", PipelineRunBuilder.RunPrefix("fraud-detection"));
    }
}
