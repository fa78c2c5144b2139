using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Cleanup;

/// <summary>What one cleanup run does with a runtime it frees itself, and what its counts mean on a re-run.</summary>
public sealed class CleanupBookkeepingTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();

    public CleanupBookkeepingTests() => FakeKServe.Install(_cluster);

    public void Dispose() => _ws.Dispose();

    private static CleanupOptions Fast => FastOptions.Cleanup;

    private Task<StageOutcome> Clean(CleanupOptions? options = null) => new CleanupEngine(_cluster, new MemoryStageLog()).RunAsync(options ?? Fast, _ws.Layout);

    private async Task<CleanupReport> Report(bool dryRun = false) =>
        (await WorkspaceDocuments.ReadAsync(_ws.Layout, dryRun ? Path.ChangeExtension(_ws.Layout.Cleanup, ".dry-run.json") : _ws.Layout.Cleanup, CleanupReport.DocumentKind, 1, CleanupReportJsonContext.Default.CleanupReport)).Document;

    /// <summary>ISVCs on one shared runtime, each plan item naming it (and its per-runtime RoleBinding, only with the runtime), migrated and validated.</summary>
    private async Task MigrateSharedAsync(params string[] names)
    {
        var runtime = Runtime("ns1", "rt-shared");
        var binding = Manifest.NewObject(Kinds.RoleBinding, "rt-shared-view", "ns1");
        _cluster.Seed(runtime, binding);
        foreach (var name in names)
        {
            var original = Isvc("ns1", name, runtime: "rt-shared", uid: $"u-{name}");
            _cluster.Seed(original);
            var item = _ws.Add("ns1", name, "side-by-side", [Runtime("ns1", $"{name}-raw-rt"), Isvc("ns1", $"{name}-raw", "RawDeployment", $"{name}-raw-rt")], original, extraOriginals: [runtime, binding]);
            var onlyWithRuntime = item.DeleteOnCleanup.Single(d => d.Kind == "RoleBinding") with { OnlyWithRuntime = "rt-shared" };
            item.DeleteOnCleanup[item.DeleteOnCleanup.FindIndex(d => d.Kind == "RoleBinding")] = onlyWithRuntime;
        }

        await _ws.WriteAsync();
        Assert.Equal(ExitCodes.Success, (await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, _ws.Layout)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await new ValidateEngine(_cluster, new MemoryStageLog()).RunAsync(FastOptions.ValidateBeforeCleanup, _ws.Layout)).ExitCode);
        _cluster.Requests.Clear();
    }

    private static List<string> Outcomes(CleanupReport report) =>
        report.Items.SelectMany(i => i.Objects.Select(o => $"{i.Name}: {o.Kind} {o.Name} {o.Outcome}")).ToList();

    [Fact]
    public async Task A_shared_runtime_whose_last_users_are_deleted_in_this_run_is_deleted_in_this_run()
    {
        await MigrateSharedAsync("a1", "a2");

        var outcome = await Clean();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Null(_cluster.Peek("ServingRuntime", "ns1", "rt-shared"));
        Assert.Null(_cluster.Peek("RoleBinding", "ns1", "rt-shared-view"));
        var report = await Report();
        var outcomes = Outcomes(report);
        Assert.Contains("a2: ServingRuntime rt-shared deleted", outcomes);
        Assert.Contains("a1: ServingRuntime rt-shared handled-elsewhere", outcomes);
        Assert.Single(outcomes, o => o.EndsWith("RoleBinding rt-shared-view deleted", StringComparison.Ordinal));

        // Each object counted once: 2 ISVCs, the runtime, the binding.
        Assert.Equal(4, report.Deleted);
        Assert.Equal(0, report.AlreadyAbsent);
        Assert.Equal("4", outcome.Results["deleted"]);
        Assert.Single(_cluster.Requests, r => r == "delete ServingRuntime ns1/rt-shared");
    }

    [Fact]
    public async Task The_runtime_is_deleted_only_after_its_last_user_is_gone()
    {
        await MigrateSharedAsync("a1", "a2");

        await Clean();

        var deletes = _cluster.Requests.Where(r => r.StartsWith("delete", StringComparison.Ordinal)).ToList();
        Assert.True(deletes.IndexOf("delete ServingRuntime ns1/rt-shared") > deletes.IndexOf("delete InferenceService ns1/a2"), string.Join("\n", deletes));
        Assert.True(deletes.IndexOf("delete ServingRuntime ns1/rt-shared") > deletes.IndexOf("delete InferenceService ns1/a1"), string.Join("\n", deletes));
    }

    [Fact]
    public async Task A_shared_runtime_an_unmigrated_live_isvc_still_uses_stays_kept_after_the_second_look()
    {
        await MigrateSharedAsync("a1", "a2");
        _cluster.Seed(Isvc("ns1", "stays", runtime: "rt-shared", uid: "u-stays"));

        var outcome = await Clean();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-shared"));
        Assert.NotNull(_cluster.Peek("RoleBinding", "ns1", "rt-shared-view"));
        var runtimes = (await Report()).Items.SelectMany(i => i.Objects).Where(o => o.Kind == "ServingRuntime").ToList();
        Assert.All(runtimes, r => Assert.Equal("kept", r.Outcome));
        Assert.All(runtimes, r => Assert.Contains("stays", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_says_it_would_delete_the_runtime_the_real_run_deletes()
    {
        await MigrateSharedAsync("a1", "a2");

        var outcome = await Clean(Fast with { DryRun = true });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-shared"));
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "a1"));
        Assert.Contains("a2: ServingRuntime rt-shared would-delete", Outcomes(await Report(dryRun: true)));
        Assert.Equal(4, (await Report(dryRun: true)).Deleted);
    }

    [Fact]
    public async Task A_rerun_counts_what_is_already_gone_as_already_absent_not_deleted()
    {
        await MigrateSharedAsync("a1", "a2");
        Assert.Equal(ExitCodes.Success, (await Clean()).ExitCode);
        _cluster.Requests.Clear();

        var again = await Clean();

        Assert.Equal(ExitCodes.Success, again.ExitCode);
        var report = await Report();
        Assert.Equal(0, report.Deleted);
        Assert.Equal(4, report.AlreadyAbsent);
        Assert.Equal("0", again.Results["deleted"]);
        Assert.Equal("4", again.Results["already-absent"]);
        Assert.StartsWith("deleted 0 original object(s)", again.Summary, StringComparison.Ordinal);
        Assert.Contains("4 already absent", again.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Three_users_freed_in_one_parallel_run_delete_the_runtime_once()
    {
        await MigrateSharedAsync("a1", "a2", "a3");
        foreach (var name in new[] { "o1", "o2" })
        {
            var original = Isvc("ns1", name, runtime: $"rt-{name}", uid: $"u-{name}");
            _cluster.Seed(original, Runtime("ns1", $"rt-{name}"));
        }

        var outcome = await Clean(Fast with { Concurrency = 4 });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Null(_cluster.Peek("ServingRuntime", "ns1", "rt-shared"));
        Assert.Equal(5, (await Report()).Deleted);
    }
}
