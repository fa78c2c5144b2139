using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Waves;

/// <summary>apply, validate and cleanup --wave K against the simulator: each acts on its wave's items only.</summary>
public sealed class WaveStageTests
{
    private const string Ns = "ml-team";
    private const string StopAnnotation = "serving.kserve.io/stop";

    // churn-internal and churn-v2 share churn-runtime; the test splits them on purpose to prove the runtime stays.
    private static readonly Dictionary<string, int> TwoWaves = new(StringComparer.Ordinal) { ["credit-scoring"] = 1, ["churn-internal"] = 1, ["churn-v2"] = 2 };

    private static ApplyOptions Apply(int? wave, bool force = false) => Pipeline.FastApply with { Wave = wave, ForceWave = force };

    private static ValidateOptions Validate(int? wave) => new() { Wave = wave, Timeout = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(100) };

    private static CleanupOptions Cleanup(int? wave) => new() { Wave = wave, PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Waves_run_one_at_a_time_and_a_runtime_shared_with_a_later_wave_is_kept_until_that_wave_is_cleaned()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var plan = await WavePlans.AssignAsync(pipeline.Layout, TwoWaves, stopOriginalsFirst: [2], cleanupBeforeNextWave: [1]);
        var target = plan.Items.ToDictionary(i => i.Name, i => i.TargetName);
        var ct = TestContext.Current.CancellationToken;
        async Task<bool> Exists(string name) => await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, name, ct) is not null;

        // Wave 1: only its two items get replacements; churn-v2 is untouched.
        var apply1 = await new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(1), pipeline.Layout, ct);
        Assert.True(apply1.ExitCode == ExitCodes.Success, $"{apply1.Summary}\n{pipeline.Logs}");
        Assert.StartsWith("wave 1 of 2: ", apply1.Summary, StringComparison.Ordinal);
        Assert.Equal("1", apply1.Results["wave"]);
        Assert.True(await Exists(target["credit-scoring"]));
        Assert.True(await Exists(target["churn-internal"]));
        Assert.False(await Exists(target["churn-v2"]));
        Assert.Null((await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, "credit-scoring", ct))!.Annotation(StopAnnotation));
        var ledger = (await LedgerStore.LoadAsync(pipeline.Layout, ct))!;
        Assert.DoesNotContain(ledger.Items, l => l.Name == "churn-v2");

        // Wave 2 needs wave 1 cleaned up first: refused before anything is written.
        var refused = await Assert.ThrowsAsync<PreconditionException>(() => new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(2), pipeline.Layout, ct));
        Assert.Contains("wave 1 must be cleaned up", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--force-wave", refused.Message, StringComparison.Ordinal);
        Assert.False(await Exists(target["churn-v2"]));

        var validate1 = await new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(Validate(1), pipeline.Layout, ct);
        Assert.True(validate1.ExitCode == ExitCodes.Success, $"{validate1.Summary}\n{pipeline.Logs}");
        Assert.StartsWith("wave 1 of 2: validated 2 ", validate1.Summary, StringComparison.Ordinal);
        Assert.StartsWith("wave 1 of 2: ", validate1.Results["validation-summary"], StringComparison.Ordinal);
        Assert.Equal([("churn-internal", 1), ("credit-scoring", 1)], (await ReadValidationAsync(pipeline.Layout)).Items.Select(v => (v.Name, v.Wave ?? 0)).Order());

        var cleanup1 = await new CleanupEngine(sim.Cluster, pipeline.Log).RunAsync(Cleanup(1), pipeline.Layout, ct);
        Assert.True(cleanup1.ExitCode == ExitCodes.Success, $"{cleanup1.Summary}\n{pipeline.Logs}");
        Assert.False(await Exists("credit-scoring"));
        Assert.False(await Exists("churn-internal"));
        Assert.True(await Exists("churn-v2"));
        Assert.NotNull(await sim.Cluster.GetAsync(Kinds.ServingRuntime, Ns, "churn-runtime", ct));
        var report1 = await ReadCleanupAsync(pipeline.Layout);
        var keptRuntime = report1.Items.Single(i => i.Name == "churn-internal").Objects.Single(o => o.Kind == "ServingRuntime" && o.Name == "churn-runtime");
        Assert.Equal("kept", keptRuntime.Outcome);
        Assert.Contains("shared with ml-team/churn-v2 (wave 2)", keptRuntime.Reason, StringComparison.Ordinal);

        // Wave 2 now: its original is stopped first (stopOriginalsFirst), then validated and cleaned, runtime included.
        var apply2 = await new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(2), pipeline.Layout, ct);
        Assert.True(apply2.ExitCode == ExitCodes.Success, $"{apply2.Summary}\n{pipeline.Logs}");
        Assert.True(await Exists(target["churn-v2"]));
        Assert.Equal("true", (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, "churn-v2", ct))!.Annotation(StopAnnotation));

        var validate2 = await new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(Validate(2), pipeline.Layout, ct);
        Assert.True(validate2.ExitCode == ExitCodes.Success, $"{validate2.Summary}\n{pipeline.Logs}");
        var validation = await ReadValidationAsync(pipeline.Layout);
        Assert.Equal([("churn-internal", 1), ("churn-v2", 2), ("credit-scoring", 1)], validation.Items.Select(v => (v.Name, v.Wave ?? 0)).Order());
        Assert.Equal(3, validation.Passed);

        var cleanup2 = await new CleanupEngine(sim.Cluster, pipeline.Log).RunAsync(Cleanup(2), pipeline.Layout, ct);
        Assert.True(cleanup2.ExitCode == ExitCodes.Success, $"{cleanup2.Summary}\n{pipeline.Logs}");
        Assert.False(await Exists("churn-v2"));
        Assert.Null(await sim.Cluster.GetAsync(Kinds.ServingRuntime, Ns, "churn-runtime", ct));
        Assert.Equal(["churn-internal", "churn-v2", "credit-scoring"], (await ReadCleanupAsync(pipeline.Layout)).Items.Where(i => i.Status == "cleaned").Select(i => i.Name).Order());
        foreach (var item in plan.Items)
        {
            Assert.True(await Exists(item.TargetName), item.TargetName);
        }
    }

    [Fact]
    public async Task Force_wave_applies_a_later_wave_before_the_earlier_one_is_cleaned_up()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var plan = await WavePlans.AssignAsync(pipeline.Layout, TwoWaves, cleanupBeforeNextWave: [1]);
        var ct = TestContext.Current.CancellationToken;

        var apply2 = await new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(2, force: true), pipeline.Layout, ct);

        Assert.True(apply2.ExitCode == ExitCodes.Success, $"{apply2.Summary}\n{pipeline.Logs}");
        Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, plan.Items.Single(i => i.Name == "churn-v2").TargetName, ct));
        Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, plan.Items.Single(i => i.Name == "credit-scoring").TargetName, ct));
        Assert.Contains(pipeline.Log.Lines, l => l.Message.Contains("--force-wave", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wave_outside_the_plan_or_on_a_plan_without_waves_is_a_usage_error_before_anything_is_written()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "side-by-side");
        var ct = TestContext.Current.CancellationToken;

        var noWaves = await Assert.ThrowsAsync<UsageException>(() => new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(1), pipeline.Layout, ct));
        Assert.Contains("plan has no waves; run transform --waves auto or --wave-size N", noWaves.Message, StringComparison.Ordinal);
        Assert.Contains("plan has no waves", (await Assert.ThrowsAsync<UsageException>(() => new CleanupEngine(sim.Cluster, pipeline.Log).RunAsync(Cleanup(1), pipeline.Layout, ct))).Message, StringComparison.Ordinal);

        await WavePlans.AssignAsync(pipeline.Layout, TwoWaves);
        var outside = await Assert.ThrowsAsync<UsageException>(() => new ApplyEngine(sim.Cluster, pipeline.Log).RunAsync(Apply(3), pipeline.Layout, ct));
        Assert.Contains("--wave 3: the plan has waves 1..2", outside.Message, StringComparison.Ordinal);
        Assert.Contains("waves 1..2", (await Assert.ThrowsAsync<UsageException>(() => new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(Validate(3), pipeline.Layout, ct))).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(pipeline.Layout.Ledger));
        Assert.Contains("--wave 0: must be at least 1", new ApplyOptions { Wave = 0 }.Problems());
        Assert.Contains(new ApplyOptions { ForceWave = true }.Problems(), p => p.Contains("--force-wave needs --wave", StringComparison.Ordinal));
    }

    private static async Task<Validation> ReadValidationAsync(WorkspaceLayout layout) =>
        (await WorkspaceDocuments.ReadAsync(layout, layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation)).Document;

    private static async Task<CleanupReport> ReadCleanupAsync(WorkspaceLayout layout) =>
        (await WorkspaceDocuments.ReadAsync(layout, layout.Cleanup, CleanupReport.DocumentKind, CleanupReport.CurrentSchemaVersion, CleanupReportJsonContext.Default.CleanupReport)).Document;
}
