using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>pipelineruns --all-waves: one full run per wave and namespace, selecting that wave's items, named to sort in wave order.</summary>
public sealed class AllWavesRunsTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("odh-all-waves-").FullName;
    private readonly string _out = Directory.CreateTempSubdirectory("odh-all-waves-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(_workspace, recursive: true);
        Directory.Delete(_out, recursive: true);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var code = await CliApp.RunAsync(UmbrellaCommand.Create(io), args, io, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task PlanAsync(params string[] transformArgs)
    {
        var sample = RepoPaths.Combine("samples", "serverless-team.yaml");
        foreach (var args in new[] { new[] { "discover", "-n", "ml-team" }, ["export"], ["transform", .. transformArgs] })
        {
            string[] full = args[0] == "transform" ? [.. args, "--workspace", _workspace] : [.. args, "--workspace", _workspace, "--snapshot", sample];
            var (code, _, stderr) = await RunAsync(full);
            Assert.True(code == 0, $"{args[0]}: {stderr}");
        }
    }

    private static List<JsonObject> Runs(string stdout) =>
        [.. Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).Where(d => d.Str("kind") == "PipelineRun")];

    private static string Param(JsonObject run, string name) => run.Items("spec", "params").Single(p => p.Str("name") == name).Str("value")!;

    [Fact]
    public async Task Every_wave_gets_one_full_run_selecting_only_its_items_in_wave_order()
    {
        await PlanAsync("--wave-size", "1", "--wave-order", "plan");
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(new WorkspaceLayout(_workspace), TestContext.Current.CancellationToken);
        var waves = plan.Waves!;
        Assert.True(waves.Count >= 2, "the sample should plan at least two waves");

        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves");

        Assert.True(code == 0, stderr);
        var runs = Runs(stdout);
        Assert.Equal(waves.Count, runs.Count);
        var names = runs.Select(r => r.Str("metadata", "generateName")!).ToList();
        Assert.Equal(waves.Select(w => $"migrate-ml-team-w{w.Number}-"), names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        foreach (var (run, wave) in runs.Zip(waves))
        {
            Assert.Equal("migrate-namespace", run.Str("spec", "pipelineRef", "name"));
            Assert.Equal(string.Join(',', wave.Items.Select(i => i.Split('/')[1]).Order(StringComparer.Ordinal)), Param(run, "select"));
            Assert.Equal(wave.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Str("metadata", "labels", PipelineRunWaves.WaveLabel));
            Assert.DoesNotContain(run.Items("spec", "params"), p => p.Str("name") == "wave");
            Assert.Equal(PipelineRunBuilder.ClaimName("ml-team"), run.Items("spec", "workspaces").Single().Str("persistentVolumeClaim", "claimName"));
        }

        // One setup for the namespace (one PVC), however many waves.
        Assert.Single(Yaml.ParseDocuments(stdout, "stdout"), d => d.Root.Str("kind") == "PersistentVolumeClaim");
        Assert.Contains("one at a time, in wave order", stderr, StringComparison.Ordinal);
    }

    /// <summary>Marks wave <paramref name="number"/> of the workspace's plan.json stopOriginalsFirst, as transform --waves auto does when only stopped originals make room.</summary>
    private async Task MarkStopOriginalsFirstAsync(int number)
    {
        var path = new WorkspaceLayout(_workspace).Plan;
        var plan = Assert.IsType<JsonObject>(JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)));
        var wave = plan.Items("waves").Single(w => w["number"]!.GetValue<int>() == number);
        wave["stopOriginalsFirst"] = true;
        await File.WriteAllTextAsync(path, plan.ToJsonString(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_wave_that_says_stop_originals_first_gets_stop_original_true_and_the_others_false()
    {
        await PlanAsync("--wave-size", "1", "--wave-order", "plan");
        await MarkStopOriginalsFirstAsync(2);
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(new WorkspaceLayout(_workspace), TestContext.Current.CancellationToken);
        Assert.Equal([false, true], plan.Waves!.Take(2).Select(w => w.StopOriginalsFirst));

        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves");

        Assert.True(code == 0, stderr);
        var runs = Runs(stdout);
        Assert.Equal(plan.Waves!.Count, runs.Count);
        foreach (var (run, wave) in runs.Zip(plan.Waves!))
        {
            Assert.Equal(wave.StopOriginalsFirst ? "true" : "false", Param(run, "stop-original"));
        }

        Assert.Contains("wave 2 (", stderr, StringComparison.Ordinal);
        Assert.Contains("; stops the Serverless originals)", stderr, StringComparison.Ordinal);
        var declared = DeliveryFiles.Pipeline("migrate-namespace", "migrate-namespace").Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(runs.SelectMany(r => r.Items("spec", "params")), p => Assert.Contains(p.Str("name"), declared));

        // --stop-original stops the originals of every wave.
        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves", "--stop-original");
        Assert.True(code == 0, stderr);
        Assert.All(Runs(stdout), r => Assert.Equal("true", Param(r, "stop-original")));
    }

    [Fact]
    public async Task Stop_original_reaches_a_full_and_a_resumed_apply_run_and_is_refused_where_nothing_is_applied()
    {
        await PlanAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain(Runs(stdout).Single().Items("spec", "params"), p => p.Str("name") == "stop-original");

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--stop-original");
        Assert.True(code == 0, stderr);
        Assert.Equal("true", Param(Runs(stdout).Single(), "stop-original"));

        var sha = new string('b', 64);
        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "apply", "--approved-sha256", sha, "--stop-original");
        Assert.True(code == 0, stderr);
        var resumed = Runs(stdout).Single();
        Assert.Equal("true", Param(resumed, "stop-original"));
        var declared = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-apply").Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.Contains("stop-original", declared);

        (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--resume-from", "cleanup", "--approved-sha256", sha, "--stop-original");
        Assert.Equal(2, code);
        Assert.Contains("--stop-original applies only to a run with an apply", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PipelineRun", stdout, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--rollback", "--stop-original");
        Assert.Equal(2, code);
        Assert.Contains("--stop-original applies only to a run with an apply", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_out_dir_each_wave_is_its_own_file_and_ten_or_more_waves_are_zero_padded()
    {
        await PlanAsync("--wave-size", "1");
        var (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves", "--out-dir", _out);
        Assert.True(code == 0, stderr);

        var files = Directory.GetFiles(Path.Combine(_out, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ml-team-w1.yaml", "ml-team-w2.yaml"], files.Take(2));
        Assert.True(File.Exists(Path.Combine(_out, "setup", "ml-team.yaml")));

        Assert.Equal("migrate-ml-team-w01-", PipelineRunWaves.RunPrefix("ml-team", 1, 2));
        Assert.Equal("migrate-ml-team-w12-", PipelineRunWaves.RunPrefix("ml-team", 12, 2));
        var longNs = new string('n', 63);
        var cut = PipelineRunWaves.RunPrefix(longNs, 3, 1);
        Assert.EndsWith("-w3-", cut, StringComparison.Ordinal);
        Assert.True(cut.Length <= 53, cut);
    }

    [Fact]
    public async Task Without_waves_in_the_plan_or_with_wave_or_resume_it_is_a_usage_error()
    {
        await PlanAsync();
        var (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves");
        Assert.Equal(2, code);
        Assert.Contains("plan.json in the workspace has no waves", stderr, StringComparison.Ordinal);

        await PlanAsync("--wave-size", "1");
        (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--all-waves", "--wave", "1");
        Assert.Equal(2, code);
        Assert.Contains("does not combine with --wave", stderr, StringComparison.Ordinal);
    }
}
