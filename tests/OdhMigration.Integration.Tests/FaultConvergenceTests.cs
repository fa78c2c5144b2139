using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// discover (with its pre-flight), export, apply, validate and cleanup, live against the simulator while 20% or 40% of
/// API requests fail in every way it knows, answers lost after the request was carried out included. Each stage must
/// succeed on its first run, and afterwards the cluster must hold exactly what the plan says: every planned object in
/// its expected state and created once, nothing outside the plan touched, the ledger and cleanup.json telling the truth.
/// </summary>
public sealed class FaultConvergenceTests
{
    /// <summary>Fast back-off so a test stays short; 12 attempts make a call fail with 0.4^12 (2e-5) at 40% faults.</summary>
    private static readonly RetryPolicy Fast = new(12, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(40)) { Deadline = TimeSpan.FromSeconds(20) };

    [Theory]
    [InlineData(0.2, "side-by-side", 101)]
    [InlineData(0.2, "in-place", 202)]
    [InlineData(0.4, "side-by-side", 303)]
    [InlineData(0.4, "in-place", 404)]
    public async Task Every_stage_converges_under_faults_with_nothing_lost_and_nothing_duplicated(double rate, string strategy, int seed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim) { Retry = Fast };
        var before = await StateAsync(sim.Cluster);
        sim.Faults(new FaultSettings(Rate: rate, Kinds: FaultSettings.AllKinds, Seed: seed, RetryAfterSeconds: 0));

        // Pipeline.PrepareAsync asserts that discover and export succeed.
        await pipeline.PrepareAsync("ml-team", "serverless", strategy, ct: ct);
        var plan = await pipeline.PlanAsync();
        var planned = plan.Items.Where(i => i.Status == "ok").ToList();
        Assert.True(planned.Count > 0, pipeline.Logs);

        var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Retry = Fast }, ct);
        Assert.True(apply.ExitCode == ExitCodes.Success, $"apply: {apply.Summary}\n{pipeline.Logs}");
        var validate = await pipeline.ValidateAsync(ct);
        Assert.True(validate.ExitCode == ExitCodes.Success, $"validate: {validate.Summary}\n{pipeline.Logs}");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"], ct);
        Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup: {cleanup.Summary}\n{pipeline.Logs}");

        var faults = sim.Host.Requests.Recent.Where(r => r.Fault is not null).ToList();
        sim.Faults(FaultSettings.None);
        Assert.Contains(faults, f => f.Fault == nameof(FaultKind.ProcessedThenDropped) && f.Verb is "create" or "patch" or "delete");
        Assert.Contains(faults, f => f.Resource == "selfsubjectaccessreviews");
        Assert.DoesNotContain(pipeline.Log.Lines, l => l.Message.Contains("pre-flight", StringComparison.Ordinal) && l.Message.Contains("could not", StringComparison.Ordinal));

        var after = await StateAsync(sim.Cluster);
        var touchable = Touchable(plan);

        // Nothing outside the plan was written, created or deleted.
        foreach (var (key, old) in before.Where(b => !touchable.Contains(b.Key)))
        {
            Assert.True(after.TryGetValue(key, out var now) && now == old, $"{key} is not in the plan but changed: {old} -> {(after.TryGetValue(key, out var n) ? n.ToString() : "gone")}");
        }

        foreach (var key in after.Keys.Where(k => !before.ContainsKey(k)))
        {
            Assert.True(touchable.Contains(key), $"{key} was created but the plan does not name it");
        }

        var ledger = (await LedgerStore.LoadAsync(pipeline.Layout))!;
        var report = (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Cleanup, CleanupReport.DocumentKind, CleanupReport.CurrentSchemaVersion, CleanupReportJsonContext.Default.CleanupReport, ct)).Document;
        foreach (var item in planned)
        {
            // The replacement serves, and is the one the ledger recorded.
            var replacement = await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct);
            Assert.True(replacement is not null && IsvcDiagnosis.IsServing(replacement), $"{item.TargetNamespace}/{item.TargetName} is not serving");
            var record = Assert.Single(ledger.Items, l => l.Namespace == item.Namespace && l.Name == item.Name);
            Assert.Equal(LedgerItemStates.Applied, record.State);
            Assert.Equal(replacement.Uid(), record.ReplacementUid);

            // Every planned object exists once: every apply step that wrote it saw the same uid, the live one.
            foreach (var file in item.Files.Where(f => f.Kind != "Namespace"))
            {
                var ns = file.Namespace ?? item.TargetNamespace;
                var kind = Kinds.All.First(k => k.Kind == file.Kind);
                var live = await sim.Cluster.GetAsync(kind, kind.Namespaced ? ns : null, file.Name, ct);
                Assert.True(live is not null, $"planned {file.Kind} {ns}/{file.Name} is missing");
                var uids = record.Steps.Where(s => s.Action == LedgerActions.Apply && s.Kind == file.Kind && s.Name == file.Name && s.State == LedgerStepStates.Done).Select(s => s.Uid).Distinct().ToList();
                Assert.Equal([live.Uid()], uids);
            }

            // cleanup.json says what happened: every original it deleted is gone (its name holds the replacement in-place).
            var cleaned = Assert.Single(report.Items, c => c.Namespace == item.Namespace && c.Name == item.Name);
            Assert.DoesNotContain(cleaned.Objects, o => o.Outcome is "failed" or "stuck");
            // An object shared by several items is decided once; the others record it as handled-elsewhere.
            foreach (var deleted in cleaned.Objects.Where(o => o.Outcome is "deleted" or "already-gone"))
            {
                var kind = Kinds.All.First(k => k.Kind == deleted.Kind);
                var now = await sim.Cluster.GetAsync(kind, deleted.Namespace, deleted.Name, ct);
                Assert.True(now is null || (deleted.Uid is not null && now.Uid() != deleted.Uid), $"{deleted.Kind} {deleted.Namespace}/{deleted.Name} is recorded as {deleted.Outcome} ({deleted.Reason}) but is still there (uid {now?.Uid()}, recorded {deleted.Uid})\n{pipeline.Logs}");
            }
        }

        await Invariants.EveryDeletionHasABackupAsync(pipeline.Layout, plan);
    }

    [Fact]
    public async Task Discover_goes_on_and_names_what_it_could_not_check_when_access_reviews_keep_failing()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim) { Retry = RetryPolicy.Immediate(3) };
        sim.Faults(new FaultSettings(Rate: 1, Kinds: ["500", "drop", "processed-then-dropped"], Resources: ["selfsubjectaccessreviews"], Seed: 3));

        var (outcome, inventory) = await new Core.Stages.Discover.DiscoverEngine(sim.Cluster, pipeline.Log)
            .RunAsync(new Core.Stages.Discover.DiscoverOptions { Namespaces = ["ml-team"], Retry = RetryPolicy.Immediate(3) }, pipeline.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotEmpty(inventory.Items);
        Assert.Empty(inventory.Preflight);
        var warning = Assert.Single(inventory.Warnings, w => w.Contains("pre-flight", StringComparison.Ordinal));
        Assert.Contains("could not be completed", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(pipeline.Layout.Inventory));
    }

    [Fact]
    public async Task Discover_keeps_the_answers_it_got_and_names_only_the_questions_left_open()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);

        // Half the access reviews fail; with a single attempt each, some questions stay open and the rest are answered.
        sim.Faults(new FaultSettings(Rate: 0.5, Kinds: ["503"], Resources: ["selfsubjectaccessreviews"], Seed: 11));
        var (outcome, inventory) = await new Core.Stages.Discover.DiscoverEngine(sim.Cluster, pipeline.Log)
            .RunAsync(new Core.Stages.Discover.DiscoverOptions { Namespaces = ["ml-team"], Retry = RetryPolicy.Immediate(1) }, pipeline.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotEmpty(inventory.Preflight);
        var warning = Assert.Single(inventory.Warnings, w => w.Contains("pre-flight could not check", StringComparison.Ordinal));
        Assert.Contains(" in ml-team", warning, StringComparison.Ordinal);
        Assert.All(inventory.Preflight, c => Assert.True(c.Allowed));
    }

    /// <summary>Every object of every known kind: (kind, namespace, name) -> (uid, resourceVersion).</summary>
    private static async Task<Dictionary<string, (string? Uid, string? ResourceVersion)>> StateAsync(ICluster cluster)
    {
        var state = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        foreach (var kind in Kinds.All.Where(k => k != Kinds.SelfSubjectAccessReview))
        {
            foreach (var obj in await cluster.ListAsync(kind, null))
            {
                state[Key(kind.Kind, obj.Namespace(), obj.Name())] = (obj.Uid(), obj.At("metadata").Str("resourceVersion"));
            }
        }

        return state;
    }

    /// <summary>What the plan allows apply and cleanup to write or delete.</summary>
    private static HashSet<string> Touchable(Plan plan)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            keys.Add(Key("InferenceService", item.Namespace, item.Name));
            keys.Add(Key("Namespace", null, item.TargetNamespace));
            keys.UnionWith(item.Files.Select(f => Key(f.Kind, f.Kind == "Namespace" ? null : f.Namespace ?? item.TargetNamespace, f.Name)));
            keys.UnionWith(item.DeleteBeforeApply.Concat(item.DeleteOnCleanup).Select(d => Key(d.Kind, d.Namespace ?? item.Namespace, d.Name)));
            keys.UnionWith(item.Keep.Select(k => Key(k.Kind, k.Namespace ?? item.Namespace, k.Name)));
            keys.UnionWith(item.SecretCopies.Select(s => Key("Secret", item.TargetNamespace, s.Name)));
            keys.UnionWith(item.SecretKeyCopies.Select(s => Key("Secret", s.TargetNamespace, s.Name)));
            keys.UnionWith(item.LabelChanges.Select(l => Key(l.Kind, l.Namespace, l.Name)));
        }

        return keys;
    }

    private static string Key(string kind, string? ns, string name) => $"{kind} {ns}/{name}";
}
