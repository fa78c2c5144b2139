using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>Waves in the delivery files: the pipelines' wave param reaches apply, validate and cleanup; pipelineruns --wave sets it.</summary>
public sealed class WaveDeliveryTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("odh-wave-runs-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var code = await CliApp.RunAsync(UmbrellaCommand.Create(io), args, io, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("migrate-namespace", "migrate-namespace", "apply,validate,cleanup")]
    [InlineData("migrate-namespace-split", "migrate-namespace-apply", "apply,validate")]
    [InlineData("migrate-namespace-split", "migrate-namespace-cleanup", "cleanup")]
    public void The_pipelines_pass_their_wave_param_to_each_stage_that_acts_per_wave(string folder, string name, string stages)
    {
        var pipeline = DeliveryFiles.Pipeline(folder, name);
        var wave = Assert.Single(pipeline.Items("spec", "params"), p => p.Str("name") == "wave");
        Assert.Equal("", wave.Str("default"));
        foreach (var stage in stages.Split(','))
        {
            var task = pipeline.Items("spec", "tasks").Single(t => t.Str("name") == stage);
            Assert.Equal("$(params.wave)", task.Items("params").Single(p => p.Str("name") == "wave").Str("value"));
        }
    }

    [Theory]
    [InlineData("migrate-namespace", "migrate-namespace")]
    [InlineData("migrate-namespace-split", "migrate-namespace-apply")]
    public void The_pipelines_pass_their_stop_original_param_to_apply_only(string folder, string name)
    {
        var pipeline = DeliveryFiles.Pipeline(folder, name);
        var param = Assert.Single(pipeline.Items("spec", "params"), p => p.Str("name") == "stop-original");
        Assert.Equal("false", param.Str("default"));
        foreach (var task in pipeline.Items("spec", "tasks"))
        {
            var passed = task.Items("params").Where(p => p.Str("name") == "stop-original").ToList();
            if (task.Str("name") == "apply")
            {
                Assert.Equal("$(params.stop-original)", Assert.Single(passed).Str("value"));
            }
            else
            {
                Assert.Empty(passed);
            }
        }

        var apply = DeliveryFiles.All("tekton", "task", "odh-apply", "odh-apply.yaml").Single();
        Assert.Contains(apply.Items("spec", "params"), p => p.Str("name") == "stop-original");
    }

    [Fact]
    public void The_reusable_workflow_has_a_stop_original_input_passed_to_apply_only()
    {
        var workflow = File.ReadAllText(RepoPaths.Combine(".github", "workflows", "odh-migrate.yml"));
        Assert.Contains("\n      stop-original:\n", workflow, StringComparison.Ordinal);
        Assert.Equal(1, workflow.Split("STOP_ORIGINAL: ${{ inputs.stop-original }}").Length - 1);
        var passed = workflow.Split("--stop-original \"$STOP_ORIGINAL\"");
        Assert.Equal(2, passed.Length);
        Assert.Contains("--entrypoint /app/odh-apply", passed[0][passed[0].LastIndexOf("docker run", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_pipeline_passes_its_wave_planning_params_to_transform()
    {
        var pipeline = DeliveryFiles.Pipeline("migrate-namespace", "migrate-namespace");
        var transform = pipeline.Items("spec", "tasks").Single(t => t.Str("name") == "transform");
        var task = DeliveryFiles.All("tekton", "task", "odh-transform", "odh-transform.yaml").Single();
        foreach (var name in new[] { "waves", "wave-size", "wave-order" })
        {
            Assert.Equal("", Assert.Single(pipeline.Items("spec", "params"), p => p.Str("name") == name).Str("default"));
            Assert.Equal($"$(params.{name})", transform.Items("params").Single(p => p.Str("name") == name).Str("value"));
            Assert.Contains(task.Items("spec", "params"), p => p.Str("name") == name);
        }
    }

    [Theory]
    [InlineData("odh-apply")]
    [InlineData("odh-validate")]
    [InlineData("odh-cleanup")]
    public void The_stage_tasks_and_actions_have_a_wave_input(string tool)
    {
        var task = DeliveryFiles.All("tekton", "task", tool, tool + ".yaml").Single();
        Assert.Contains(task.Items("spec", "params"), p => p.Str("name") == "wave");
        Assert.Contains("--wave", task.Items("spec", "steps").Single()["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("\n  wave:\n", File.ReadAllText(RepoPaths.Combine("github-actions", tool, "action.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reusable_workflow_has_a_wave_input_passed_to_apply_validate_and_cleanup()
    {
        var workflow = File.ReadAllText(RepoPaths.Combine(".github", "workflows", "odh-migrate.yml"));
        Assert.Contains("\n      wave:\n", workflow, StringComparison.Ordinal);
        Assert.Equal(3, workflow.Split("WAVE: ${{ inputs.wave }}").Length - 1);
        Assert.Equal(3, workflow.Split("--wave \"$WAVE\"").Length - 1);
    }

    [Fact]
    public async Task Pipelineruns_wave_sets_the_wave_param_of_the_full_and_the_resumed_runs()
    {
        var sample = RepoPaths.Combine("samples", "serverless-basic.yaml");
        var (code, _, stderr) = await RunAsync("discover", "--workspace", _workspace, "--snapshot", sample, "-n", "fraud-detection");
        Assert.True(code == 0, stderr);

        // A full run plans again: --wave K without wave planning would give a plan without waves, which apply refuses
        // only after the plan gate; refused before anything is written.
        (code, var stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--wave", "1");
        Assert.Equal(2, code);
        Assert.Contains("--waves auto or --wave-size N", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PipelineRun", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--wave", "1", "--waves", "auto", "--wave-order", "plan");
        Assert.True(code == 0, stderr);
        var full = Runs(stdout);
        Assert.Equal("migrate-fraud-detection-w1-", full.Str("metadata", "generateName"));
        var fullParams = full.Items("spec", "params").ToList();
        Assert.Equal("1", fullParams.Single(p => p.Str("name") == "wave").Str("value"));
        Assert.Equal("auto", fullParams.Single(p => p.Str("name") == "waves").Str("value"));
        Assert.Equal("plan", fullParams.Single(p => p.Str("name") == "wave-order").Str("value"));
        Assert.DoesNotContain(fullParams, p => p.Str("name") == "wave-size");
        var fullDeclared = DeliveryFiles.Pipeline("migrate-namespace", "migrate-namespace").Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(fullParams, p => Assert.Contains(p.Str("name"), fullDeclared));

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--wave", "2", "--wave-size", "3");
        Assert.True(code == 0, stderr);
        Assert.Equal("3", Runs(stdout).Items("spec", "params").Single(p => p.Str("name") == "wave-size").Str("value"));

        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--wave", "1", "--waves", "auto", "--wave-size", "3");
        Assert.Equal(2, code);
        Assert.Contains("mutually exclusive", stderr, StringComparison.Ordinal);

        // A resumed run reuses the PVC's plan: planning options are refused, not ignored.
        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "apply", "--approved-sha256", new string('b', 64), "--wave", "2", "--wave-size", "3");
        Assert.Equal(2, code);
        Assert.Contains("makes no plan", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "apply", "--approved-sha256", new string('b', 64), "--wave", "2");
        Assert.True(code == 0, stderr);
        var resumed = Runs(stdout);
        Assert.Equal("migrate-fraud-detection-apply-w2-", resumed.Str("metadata", "generateName"));
        Assert.Equal("2", resumed.Items("spec", "params").Single(p => p.Str("name") == "wave").Str("value"));
        var declared = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-apply").Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(resumed.Items("spec", "params"), p => Assert.Contains(p.Str("name"), declared));

        // Without --wave nothing changes: no wave param, the same run name as before.
        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain(Runs(stdout).Items("spec", "params"), p => p.Str("name") == "wave");

        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--wave", "0");
        Assert.Equal(2, code);
    }

    private static JsonObject Runs(string stdout) =>
        Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Single(d => d.Str("kind") == "PipelineRun");
}
