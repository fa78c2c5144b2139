using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using static OdhMigration.Core.Tests.Transform.Waves.WaveFixtures;

namespace OdhMigration.Core.Tests.Transform.Waves;

/// <summary>transform on the serverless-team sample (credit-scoring; churn-internal and churn-v2 share churn-runtime) with a capacity.json written here.</summary>
public sealed class TransformWavesTests
{
    private const string Team = "ml-team";

    private static async Task<TempWorkspace> ExportedAsync(CancellationToken ct)
    {
        var ws = new TempWorkspace();
        var cluster = SnapshotCluster.Load(Path.Combine(RepoPaths.Samples, "serverless-team.yaml"));
        var log = new MemoryStageLog();
        await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = [Team] }, ws.Layout, ct);
        await new ExportEngine(cluster, log).RunAsync(new ExportOptions(), ws.Layout, ct);
        return ws;
    }

    private static CapacityReport TeamCapacity(bool readable = true)
    {
        // Runtimes left out on purpose: transform takes them from inventory.json.
        var demands = new[] { Demand("credit-scoring", 4, holdsGpu: 4, canStop: true, ns: Team), Demand("churn-internal", 2, holdsGpu: 2, canStop: true, ns: Team), Demand("churn-v2", 2, holdsGpu: 2, canStop: true, ns: Team) };
        var capacity = CapacityOf(demands, [Pool("a100", 12, 4)]);
        return readable ? capacity : capacity with { Cluster = new ClusterCapacity { Readable = false, Reason = "forbidden: cannot list nodes" } };
    }

    private static Task WriteCapacityAsync(WorkspaceLayout layout, CapacityReport capacity, CancellationToken ct) =>
        WorkspaceDocuments.WriteAsync(layout.Capacity, capacity, CapacityReportJsonContext.Default.CapacityReport, ct);

    private static async Task<Plan> TransformAsync(WorkspaceLayout layout, TransformOptions options, CancellationToken ct)
    {
        await new TransformEngine(new MemoryStageLog(), TransformerCatalog.All).RunAsync(options, layout, ct);
        return (await WorkspaceDocuments.ReadPlanAsync(layout, ct)).Document;
    }

    [Fact]
    public async Task Waves_auto_splits_by_free_gpus_keeps_the_shared_runtime_together_and_binds_capacity_json_to_the_plan()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);
        await WriteCapacityAsync(ws.Layout, TeamCapacity(), ct);

        var plan = await TransformAsync(ws.Layout, new TransformOptions { Waves = WaveModes.Auto }, ct);

        var wave = plan.Items.ToDictionary(i => i.Name, i => i.Wave);
        Assert.All(plan.Items, i => Assert.Equal(ItemStatuses.Ok, i.Status));
        Assert.Equal(2, plan.Waves!.Count);
        Assert.Equal(wave["churn-internal"], wave["churn-v2"]);
        Assert.NotEqual(wave["credit-scoring"], wave["churn-v2"]);
        Assert.Equal(WaveModes.Auto, plan.Options.Waves);
        Assert.Contains(plan.Consumed, c => c.Path == WorkspaceLayout.CapacityFile && c.Sha256 == Hashing.Sha256Hex(File.ReadAllBytes(ws.Layout.Capacity)));
        Assert.True(plan.Waves[0].CleanupBeforeNextWave);
        Assert.Contains(plan.Waves[1].Arithmetic, a => a.Contains("freed by cleanup of wave 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_capacity_json_refuses_carrying_out_a_plan_made_from_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);
        await WriteCapacityAsync(ws.Layout, TeamCapacity(), ct);
        var plan = await TransformAsync(ws.Layout, new TransformOptions { Waves = WaveModes.Auto }, ct);
        await ConsumedDocumentsGate.VerifyAsync(ws.Layout, plan, "nothing was applied", ct);

        await WriteCapacityAsync(ws.Layout, TeamCapacity() with { Warnings = ["changed"] }, ct);

        var ex = await Assert.ThrowsAsync<PreconditionException>(() => ConsumedDocumentsGate.VerifyAsync(ws.Layout, plan, "nothing was applied", ct));
        Assert.Contains("capacity.json changed since the plan was made", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_without_waves_ignores_capacity_json_and_is_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);
        await TransformAsync(ws.Layout, new TransformOptions(), ct);
        var before = WithoutTimestamp(File.ReadAllText(ws.Layout.Plan));

        await WriteCapacityAsync(ws.Layout, TeamCapacity(), ct);
        var again = await TransformAsync(ws.Layout, new TransformOptions(), ct);
        var after = WithoutTimestamp(File.ReadAllText(ws.Layout.Plan));

        Assert.Null(again.Waves);
        Assert.All(again.Items, i => Assert.Null(i.Wave));
        Assert.DoesNotContain("wave", after, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WorkspaceLayout.CapacityFile, after, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    private static string WithoutTimestamp(string json) =>
        string.Join('\n', json.Split('\n').Where(l => !l.Contains("\"generatedAt\"", StringComparison.Ordinal)));

    [Fact]
    public async Task Wave_size_needs_no_capacity_json()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);
        File.Delete(ws.Layout.Capacity); // a workspace exported before capacity.json existed

        var plan = await TransformAsync(ws.Layout, new TransformOptions { WaveSize = 1, WaveOrder = "ml-team/credit-scoring" }, ct);

        Assert.Equal(WaveModes.Size, plan.Options.Waves);
        Assert.Equal(1, plan.Options.WaveSize);
        Assert.Equal(["ml-team/credit-scoring"], plan.Waves![0].Items);
        Assert.Equal(["ml-team/churn-internal", "ml-team/churn-v2"], plan.Waves[1].Items);
        Assert.DoesNotContain(plan.Consumed, c => c.Path == WorkspaceLayout.CapacityFile);
        Assert.Contains(plan.Warnings, w => w.Contains("more than --wave-size 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, "needs capacity.json")]
    [InlineData(true, "forbidden: cannot list nodes")]
    public async Task Waves_auto_without_readable_capacity_is_a_usage_error_pointing_at_wave_size(bool writeUnreadable, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);
        if (writeUnreadable)
        {
            await WriteCapacityAsync(ws.Layout, TeamCapacity(readable: false), ct);
        }
        else
        {
            File.Delete(ws.Layout.Capacity); // a workspace exported before capacity.json existed
        }

        var ex = await Assert.ThrowsAsync<UsageException>(() => TransformAsync(ws.Layout, new TransformOptions { Waves = WaveModes.Auto }, ct));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--wave-size", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Plan));
    }

    [Fact]
    public async Task An_explicit_order_naming_no_selected_isvc_is_a_usage_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = await ExportedAsync(ct);

        var ex = await Assert.ThrowsAsync<UsageException>(() => TransformAsync(ws.Layout, new TransformOptions { WaveSize = 2, WaveOrder = "ml-team/churn-v2,ml-team/typo" }, ct));
        Assert.Contains("'ml-team/typo' names no selected InferenceService", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WaveModes.Auto, 2, null, "mutually exclusive")]
    [InlineData(null, 0, null, "--wave-size 0")]
    [InlineData(null, null, "plan", "--wave-order needs --waves auto or --wave-size N")]
    [InlineData("sometimes", null, null, "--waves 'sometimes'")]
    public void Wave_option_combinations_are_checked(string? waves, int? size, string? order, string expected)
    {
        var problems = new TransformOptions { Waves = waves, WaveSize = size, WaveOrder = order }.Problems();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
