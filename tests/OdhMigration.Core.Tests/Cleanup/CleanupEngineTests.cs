using System.Text.Json.Nodes;
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

public sealed class CleanupEngineTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();
    private readonly MemoryStageLog _log = new();

    public CleanupEngineTests() => FakeKServe.Install(_cluster);

    private static CleanupOptions Fast => FastOptions.Cleanup;

    public void Dispose() => _ws.Dispose();

    private static JsonObject Route(string ns, string name)
    {
        var route = Manifest.NewObject(Kinds.Route, $"{name}-{ns}", "istio-system");
        route["spec"] = new JsonObject { ["host"] = $"{name}-{ns}.apps.example.com" };
        return route;
    }

    /// <summary>A Serverless ISVC with its runtime and Route, planned side by side, applied and validated.</summary>
    private async Task<string> MigrateAsync(params string[] names)
    {
        foreach (var name in names)
        {
            var original = Isvc("ns1", name, runtime: $"rt-{name}", uid: $"u-{name}");
            var runtime = Runtime("ns1", $"rt-{name}");
            var route = Route("ns1", name);
            _cluster.Seed(original, runtime, route);
            _ws.Add("ns1", name, "side-by-side", [Runtime("ns1", $"rt-{name}-raw"), Isvc("ns1", $"{name}-raw", "RawDeployment", $"rt-{name}-raw")], original, extraOriginals: [runtime, route]);
        }

        await _ws.WriteAsync();
        await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, _ws.Layout);
        var outcome = await new ValidateEngine(_cluster, new MemoryStageLog()).RunAsync(FastOptions.ValidateBeforeCleanup, _ws.Layout);
        return outcome.Results["validation-sha256"];
    }

    private void GiveTheOriginalKServesFinalizer(string name)
    {
        var original = _cluster.Peek("InferenceService", "ns1", name)!;
        original.Metadata()["finalizers"] = new JsonArray("inferenceservice.finalizers");
        _cluster.Seed(original);
    }

    private Task<StageOutcome> Clean(CleanupOptions? options = null) => new CleanupEngine(_cluster, _log).RunAsync(options ?? Fast, _ws.Layout);

    private async Task<CleanupReport> Report() =>
        (await WorkspaceDocuments.ReadAsync(_ws.Layout, _ws.Layout.Cleanup, CleanupReport.DocumentKind, 1, CleanupReportJsonContext.Default.CleanupReport)).Document;

    [Fact]
    public async Task Deletes_the_originals_of_a_validated_replacement_and_a_rerun_is_idempotent()
    {
        var sha = await MigrateAsync("m1");

        var outcome = await Clean(Fast with { ExpectValidationSha256 = sha });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1"));
        Assert.Null(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        Assert.Null(_cluster.Peek("Route", "istio-system", "m1-ns1"));
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m1-raw"));
        var deletes = _cluster.Requests.Where(r => r.StartsWith("delete", StringComparison.Ordinal)).ToList();
        Assert.Equal("delete InferenceService ns1/m1", deletes[0]);
        Assert.All((await Report()).Items.Single().Objects, o => Assert.Equal("deleted", o.Outcome));

        var again = await Clean();
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.All((await Report()).Items.Single().Objects, o => Assert.Equal("already-gone", o.Outcome));
    }

    [Fact]
    public async Task A_validation_other_than_the_approved_one_is_refused()
    {
        await MigrateAsync("m1");
        _cluster.Requests.Clear();

        await Assert.ThrowsAsync<PreconditionException>(() => Clean(Fast with { ExpectValidationSha256 = new string('a', 64) }));

        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("delete", StringComparison.Ordinal));
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1"));
    }

    [Fact]
    public async Task An_original_whose_replacement_did_not_pass_is_kept()
    {
        FakeKServe.Install(_cluster, skip: o => o.Name() == "m2-raw");
        await MigrateAsync("m1", "m2");

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m2"));
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m2"));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1"));
        Assert.Equal("skipped", (await Report()).Items.Single(i => i.Name == "m2").Status);
    }

    [Fact]
    public async Task A_runtime_another_live_isvc_uses_is_kept_even_when_the_plan_says_delete()
    {
        await MigrateAsync("m1");
        _cluster.Seed(Isvc("ns1", "latecomer", runtime: "rt-m1"));

        var outcome = await Clean();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        var kept = (await Report()).Items.Single().Objects.Single(o => o.Kind == "ServingRuntime");
        Assert.Equal("kept", kept.Outcome);
        Assert.Contains("latecomer", kept.Reason);
    }

    [Fact]
    public async Task A_runtime_a_live_isvc_would_pick_by_format_is_kept_and_runtimes_are_listed_only_then()
    {
        await MigrateAsync("m1", "m2");
        var byFormat = Isvc("ns1", "picks-by-format");
        ((JsonObject)byFormat.At("spec", "predictor", "model")!).Remove("runtime");
        _cluster.Seed(byFormat);

        var outcome = await Clean();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var runtimes = (await Report()).Items.SelectMany(i => i.Objects).Where(o => o.Kind == "ServingRuntime").ToList();

        // Both originals' runtimes serve onnx with autoSelect: the first in name order is the one KServe would pick.
        var kept = Assert.Single(runtimes, o => o.Outcome == "kept");
        Assert.Equal("rt-m1", kept.Name);
        Assert.Contains("picks-by-format", kept.Reason);
        Assert.Contains(_cluster.Requests, r => r.StartsWith("list ServingRuntime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Where_every_live_isvc_names_its_runtime_the_runtimes_are_not_listed()
    {
        await MigrateAsync("m1");
        _cluster.Requests.Clear();

        Assert.Equal(ExitCodes.Success, (await Clean()).ExitCode);

        Assert.Null(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        Assert.Contains(_cluster.Requests, r => r.StartsWith("list InferenceService ns1", StringComparison.Ordinal));
        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("list ServingRuntime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_deleted_without_its_backup_on_disk()
    {
        await MigrateAsync("m1");
        var plan = (await WorkspaceDocuments.ReadPlanAsync(_ws.Layout)).Document;
        File.Delete(_ws.Layout.Absolute(plan.Items[0].DeleteOnCleanup.Single(d => d.Kind == "ServingRuntime").BackupFile!));

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        Assert.Contains("missing", (await Report()).Items.Single().Objects.Single(o => o.Kind == "ServingRuntime").Reason);
    }

    [Fact]
    public async Task Neither_a_replacement_object_nor_the_new_isvcs_service_account_is_ever_deleted()
    {
        var original = Isvc("ns1", "m1", uid: "u-m1");
        var sa = ServiceAccount("ns1", "shared-sa");
        _cluster.Seed(original, sa, Runtime("ns1", "rt"));
        var replacement = Isvc("ns1", "m1-raw", "RawDeployment", "rt");
        replacement["spec"]!["predictor"]!["serviceAccountName"] = "shared-sa";
        _ws.Add("ns1", "m1", "side-by-side", [Runtime("ns1", "rt"), replacement], original, extraOriginals: [sa, Runtime("ns1", "rt")]);
        await _ws.WriteAsync();
        await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate(), AllowGitOps = true }, _ws.Layout);
        await new ValidateEngine(_cluster, new MemoryStageLog()).RunAsync(new ValidateOptions { Timeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(10) }, _ws.Layout);

        await Clean();

        Assert.NotNull(_cluster.Peek("ServiceAccount", "ns1", "shared-sa"));
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt"));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1"));
        var objects = (await Report()).Items.Single().Objects;
        Assert.Contains("runs as", objects.Single(o => o.Kind == "ServiceAccount").Reason);
        Assert.Contains("apply wrote", objects.Single(o => o.Kind == "ServingRuntime").Reason);
    }

    [Fact]
    public async Task A_finalizer_stuck_because_serverless_was_removed_first_is_explained_with_the_remedy()
    {
        await MigrateAsync("m1");
        GiveTheOriginalKServesFinalizer("m1");
        var dsc = Manifest.NewObject(Kinds.DataScienceCluster, "default-dsc", null);
        dsc["spec"] = JsonNode.Parse("""{"components":{"kserve":{"managementState":"Managed","serving":{"managementState":"Removed"}}}}""");
        _cluster.Seed(dsc);

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var isvc = (await Report()).Items.Single().Objects.Single(o => o.Kind == "InferenceService");
        Assert.Equal("stuck", isvc.Outcome);
        Assert.Contains("ordering trap", isvc.Reason);
        Assert.Contains("set it back to Managed", isvc.Reason);
        Assert.Contains("inferenceservice.finalizers", isvc.Reason);
    }

    [Fact]
    public async Task A_deletion_its_finalizer_finishes_soon_is_seen_soon_even_with_a_long_poll_interval()
    {
        await MigrateAsync("m1");
        GiveTheOriginalKServesFinalizer("m1");
        var controller = _cluster.FinishDeletionAfterAsync("InferenceService", "ns1", "m1", TimeSpan.FromMilliseconds(150));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await Clean(Fast with { PollInterval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromMinutes(2) });
        watch.Stop();
        await controller;

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal("deleted", (await Report()).Items.Single().Objects.Single(o => o.Kind == "InferenceService").Outcome);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"cleanup took {watch.Elapsed.TotalSeconds:0.0} s for a finalizer that finished after 0.15 s");
    }

    [Fact]
    public async Task Cleaning_in_parallel_ends_exactly_as_cleaning_one_at_a_time()
    {
        async Task<(List<string> Outcomes, List<string> Left)> CleanWith(int concurrency)
        {
            using var ws = new PlanWorkspace();
            var cluster = new InMemoryCluster();
            FakeKServe.Install(cluster);

            // Two ISVCs on one runtime (each plan item names it), four on runtimes of their own.
            foreach (var (name, runtime) in new[] { ("s1", "rt-shared"), ("s2", "rt-shared"), ("o1", "rt-o1"), ("o2", "rt-o2"), ("o3", "rt-o3"), ("o4", "rt-o4") })
            {
                var original = Isvc("ns1", name, runtime: runtime, uid: $"u-{name}");
                var runtimeObject = Runtime("ns1", runtime);
                cluster.Seed(original, runtimeObject);
                ws.Add("ns1", name, "side-by-side", [Runtime("ns1", $"{name}-raw-rt"), Isvc("ns1", $"{name}-raw", "RawDeployment", $"{name}-raw-rt")], original, extraOriginals: [runtimeObject]);
            }

            await ws.WriteAsync();
            Assert.Equal(ExitCodes.Success, (await new ApplyEngine(cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, ws.Layout)).ExitCode);
            Assert.Equal(ExitCodes.Success, (await new ValidateEngine(cluster, new MemoryStageLog()).RunAsync(FastOptions.ValidateBeforeCleanup, ws.Layout)).ExitCode);
            await new CleanupEngine(cluster, new MemoryStageLog()).RunAsync(Fast with { Concurrency = concurrency }, ws.Layout);
            var (report, _) = await WorkspaceDocuments.ReadAsync(ws.Layout, ws.Layout.Cleanup, CleanupReport.DocumentKind, 1, CleanupReportJsonContext.Default.CleanupReport);
            var outcomes = report.Items.SelectMany(i => i.Objects.Select(o => $"{i.Name}: {o.Kind} {o.Name} {o.Outcome}")).ToList();
            var left = new[] { "s1", "s2", "o1", "o2", "o3", "o4" }.SelectMany(n => new[] { ("InferenceService", n), ("ServingRuntime", $"rt-{n}") })
                .Append(("ServingRuntime", "rt-shared"))
                .Where(k => cluster.Peek(k.Item1, "ns1", k.Item2) is not null)
                .Select(k => $"{k.Item1} {k.Item2}")
                .ToList();
            return (outcomes, left);
        }

        var sequential = await CleanWith(1);
        var parallel = await CleanWith(4);

        Assert.Equal(sequential.Outcomes, parallel.Outcomes);
        Assert.Equal(sequential.Left, parallel.Left);
        // s1 found s2's original still on the shared runtime; s2's turn freed it, so this run deleted it once.
        Assert.Contains("s1: ServingRuntime rt-shared handled-elsewhere", sequential.Outcomes);
        Assert.Contains("s2: ServingRuntime rt-shared deleted", parallel.Outcomes);
        Assert.DoesNotContain("ServingRuntime rt-shared", parallel.Left);
        Assert.Contains("o3: InferenceService o3 deleted", parallel.Outcomes);
    }

    [Fact]
    public async Task Dry_run_deletes_nothing()
    {
        await MigrateAsync("m1");

        var outcome = await Clean(Fast with { DryRun = true });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1"));
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        Assert.False(File.Exists(_ws.Layout.Cleanup));
    }

    [Fact]
    public async Task A_replacement_recreated_since_validation_stops_its_cleanup()
    {
        await MigrateAsync("m1");
        await _cluster.DeleteAsync(Kinds.InferenceService, "ns1", "m1-raw", new DeleteOptions());
        await _cluster.ApplyAsync(Isvc("ns1", "m1-raw", "RawDeployment"), new WriteOptions());

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1"));
    }
}
