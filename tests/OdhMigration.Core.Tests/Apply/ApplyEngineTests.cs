using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Apply;

public sealed class ApplyEngineTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();
    private readonly MemoryStageLog _log = new();

    private static ApplyOptions Fast => FastOptions.Apply;

    public void Dispose() => _ws.Dispose();

    private Task<StageOutcome> Run(ApplyOptions? options = null, CancellationToken ct = default) =>
        new ApplyEngine(_cluster, _log).RunAsync(options ?? Fast, _ws.Layout, ct);

    private Task<Ledger?> Ledger() => LedgerStore.LoadAsync(_ws.Layout);

    [Fact]
    public async Task Side_by_side_creates_the_planned_objects_in_order_and_records_them_with_uids()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original, Runtime("ns1", "rt"));
        _ws.Add("ns1", "m1", "side-by-side", [Runtime("ns1", "rt-raw"), Isvc("ns1", "m1-raw", "RawDeployment", "rt-raw")], original);
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
        var creates = _cluster.Requests.Where(r => r.StartsWith("create", StringComparison.Ordinal)).ToList();
        Assert.Equal(["create ServingRuntime ns1/rt-raw", "create InferenceService ns1/m1-raw"], creates);
        var ledger = await Ledger();
        var item = Assert.Single(ledger!.Items, i => i.Name == "m1");
        Assert.Equal(LedgerItemStates.Applied, item.State);
        Assert.Equal(_cluster.Peek("InferenceService", "ns1", "m1-raw")!.Uid(), item.ReplacementUid);
        Assert.All(item.Steps.Where(s => s.Action == LedgerActions.Apply), s =>
        {
            Assert.Equal(LedgerStepStates.Done, s.State);
            Assert.False(string.IsNullOrEmpty(s.Uid));
            Assert.False(string.IsNullOrEmpty(s.ResourceVersion));
        });
        Assert.Equal("u-orig", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
        Assert.Equal(outcome.Results["ledger-sha256"], Hashing.Sha256Hex(await File.ReadAllBytesAsync(_ws.Layout.Ledger)));
    }

    [Fact]
    public async Task A_rerun_is_a_no_op_for_what_is_done()
    {
        _cluster.Seed(Isvc("ns1", "m1"));
        _ws.Add("ns1", "m1", "side-by-side", [Runtime("ns1", "rt-raw"), Isvc("ns1", "m1-raw", "RawDeployment", "rt-raw")]);
        await _ws.WriteAsync();
        await Run();
        _cluster.Requests.Clear();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal("1", outcome.Results["applied"]);
        Assert.DoesNotContain(_cluster.Requests, r => !r.StartsWith("get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plan_that_differs_from_the_approved_sha_is_refused_and_nothing_is_written()
    {
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        var sha = await _ws.WriteAsync();

        var ex = await Assert.ThrowsAsync<PreconditionException>(() => Run(Fast with { ExpectPlanSha256 = new string('0', 64) }));

        Assert.Contains("changed since it was approved", ex.Message);
        Assert.Empty(_cluster.Requests);
        Assert.Equal(ExitCodes.Success, (await Run(Fast with { ExpectPlanSha256 = sha })).ExitCode);
    }

    [Fact]
    public async Task An_edited_planned_file_is_refused_before_anything_is_written()
    {
        var item = _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();
        await File.AppendAllTextAsync(_ws.Layout.Absolute(item.Files[0].Path), "# edited\n");

        var ex = await Assert.ThrowsAsync<PreconditionException>(() => Run());

        Assert.Contains(item.Files[0].Path, ex.Message);
        Assert.Empty(_cluster.Requests);
    }

    [Fact]
    public async Task In_place_deletes_the_original_with_a_uid_precondition_then_creates_the_replacement()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var live = _cluster.Peek("InferenceService", "ns1", "m1")!;
        Assert.NotEqual("u-orig", live.Uid());
        Assert.Equal("RawDeployment", live.Annotation("serving.kserve.io/deploymentMode"));
        var steps = (await Ledger())!.Items.Single(i => i.Name == "m1").Steps;
        var delete = steps.Single(s => s.Action == LedgerActions.DeleteOriginal);
        var create = steps.Single(s => s.Action == LedgerActions.Apply && s.Kind == "InferenceService");
        Assert.Equal("u-orig", delete.Uid);
        Assert.True(delete.Seq < create.Seq);
    }

    [Fact]
    public async Task In_place_waits_for_a_finalizer_before_creating()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        original.Metadata()["finalizers"] = new JsonArray("inferenceservice.finalizers");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();
        var gets = 0;
        _cluster.Fault = (verb, kind, _, _) =>
        {
            if (verb == "get" && kind == "InferenceService" && ++gets == 4)
            {
                _cluster.RemoveFinalizers("InferenceService", "ns1", "m1");
            }

            return null;
        };

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotEqual("u-orig", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
    }

    [Fact]
    public async Task In_place_creates_the_replacement_soon_after_the_finalizer_finishes_even_with_a_long_poll_interval()
    {
        // The wait between the original's deletion and the replacement's creation is downtime: it must not be a poll interval.
        var original = Isvc("ns1", "m1", uid: "u-orig");
        original.Metadata()["finalizers"] = new JsonArray("inferenceservice.finalizers");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();
        var controller = _cluster.FinishDeletionAfterAsync("InferenceService", "ns1", "m1", TimeSpan.FromMilliseconds(150));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await Run(Fast with { PollInterval = TimeSpan.FromSeconds(30), DeleteTimeout = TimeSpan.FromMinutes(2) });
        watch.Stop();
        await controller;

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotEqual("u-orig", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"apply took {watch.Elapsed.TotalSeconds:0.0} s for a finalizer that finished after 0.15 s");
    }

    [Fact]
    public async Task In_place_recreates_the_original_from_its_backup_when_the_replacement_is_refused()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();
        _cluster.Fault = (verb, kind, _, _) => verb == "create" && kind == "InferenceService"
            ? new ClusterException(400, "BadRequest", "admission webhook denied the request")
            : null;

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var live = _cluster.Peek("InferenceService", "ns1", "m1")!;
        Assert.Equal("Serverless", live.Annotation("serving.kserve.io/deploymentMode"));
        var item = (await Ledger())!.Items.Single(i => i.Name == "m1");
        Assert.Equal(LedgerItemStates.RolledBack, item.State);
        Assert.Contains("admission webhook denied", item.Error);
        Assert.Contains(item.Steps, s => s.Action == LedgerActions.RecreateOriginal && s.State == LedgerStepStates.Done);
    }

    /// <summary>
    /// The replacement's create landed but its answer was an error: rolling back must apply the original over a Raw
    /// object the KServe webhook protects. KServe denies with 403 Forbidden (controller-runtime admission.Denied, as
    /// the stricter simulator now answers); apply used to handle only 400/422 there and left neither ISVC serving.
    /// </summary>
    [Theory]
    [InlineData(403, "Forbidden")]
    [InlineData(400, "BadRequest")]
    public async Task In_place_rollback_removes_a_half_created_replacement_the_webhook_keeps_the_original_from(int code, string reason)
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();
        var denied = false;
        _cluster.Fault = (verb, kind, _, _) =>
        {
            if (verb == "create" && kind == "InferenceService")
            {
                var landed = Isvc("ns1", "m1", "RawDeployment", uid: "u-half");
                landed.Metadata()["managedFields"] = new JsonArray(new JsonObject { ["manager"] = ApplyOptions.DefaultFieldManager, ["operation"] = "Update" });
                _cluster.Seed(landed);
                return new ClusterException(422, "Invalid", "the answer to a create that landed");
            }

            if (verb == "apply" && kind == "InferenceService" && !denied)
            {
                denied = true;
                return new ClusterException(code, reason, "admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied the request: update rejected: deploymentMode cannot be changed from 'RawDeployment' to 'Serverless'");
            }

            return null;
        };

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.True(denied);
        var live = _cluster.Peek("InferenceService", "ns1", "m1")!;
        Assert.Equal("Serverless", live.Annotation("serving.kserve.io/deploymentMode"));
        Assert.NotEqual("u-half", live.Uid());
        Assert.Equal(LedgerItemStates.RolledBack, (await Ledger())!.Items.Single(i => i.Name == "m1").State);
    }

    [Fact]
    public async Task In_place_without_a_backup_on_disk_touches_nothing_and_the_others_go_on()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original, Isvc("ns1", "m2"));
        var item = _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        _ws.Add("ns1", "m2", "side-by-side", [Isvc("ns1", "m2-raw", "RawDeployment")]);
        await _ws.WriteAsync();
        File.Delete(_ws.Layout.Absolute(item.DeleteBeforeApply[0].BackupFile!));

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("u-orig", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("delete", StringComparison.Ordinal));
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m2-raw"));
        Assert.Contains(_log.Lines, l => l.Message.Contains("backup", StringComparison.Ordinal) && l.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_place_refuses_an_isvc_recreated_since_export()
    {
        _cluster.Seed(Isvc("ns1", "m1", uid: "u-someone-else"));
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], Isvc("ns1", "m1", uid: "u-exported"));
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("u-someone-else", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transient_errors_are_retried_and_retry_after_is_honoured()
    {
        _ws.Add("ns1", "m1", "side-by-side", [Runtime("ns1", "rt-raw"), Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();
        var failures = new Queue<Exception>([
            new ClusterException(429, "TooManyRequests", "slow down") { RetryAfter = TimeSpan.FromMilliseconds(30) },
            new ClusterException(503, "ServiceUnavailable", "etcd leader changed"),
            new HttpRequestException("connection reset"),
        ]);
        _cluster.Fault = (verb, _, _, _) => verb == "create" && failures.Count > 0 ? failures.Dequeue() : null;
        var delays = new List<TimeSpan>();
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50), (d, _) => { delays.Add(d); return Task.CompletedTask; });

        var outcome = await Run(Fast with { Retry = policy });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(3, delays.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(30), delays[0]);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
    }

    [Fact]
    public async Task One_failing_isvc_never_stops_the_others()
    {
        for (var i = 0; i < 6; i++)
        {
            _ws.Add("ns1", $"m{i}", "side-by-side", [Isvc("ns1", $"m{i}-raw", "RawDeployment")]);
        }

        await _ws.WriteAsync();
        _cluster.Fault = (verb, _, _, name) => verb == "create" && name == "m3-raw" ? new ClusterException(422, "Invalid", "spec.predictor: Invalid value") : null;

        var outcome = await Run(Fast with { Concurrency = 3 });

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("5", outcome.Results["applied"]);
        Assert.Equal("1", outcome.Results["failed"]);
        Assert.Equal(5, _cluster.All("InferenceService").Count);
        Assert.Equal(LedgerItemStates.Failed, (await Ledger())!.Items.Single(i => i.Name == "m3").State);
    }

    [Fact]
    public async Task GitOps_managed_isvcs_are_refused_unless_allowed()
    {
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")], gitOps: "argocd");
        await _ws.WriteAsync();

        var refused = await Run();
        Assert.Equal(ExitCodes.PartialFailure, refused.ExitCode);
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
        Assert.Contains(_log.Lines, l => l.Message.Contains("argocd", StringComparison.Ordinal));

        var allowed = await Run(Fast with { AllowGitOps = true });
        Assert.Equal(ExitCodes.Success, allowed.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
    }

    [Fact]
    public async Task An_existing_object_that_is_not_ours_is_never_overwritten()
    {
        var foreign = Isvc("ns1", "m1-raw", "RawDeployment");
        foreign.SetLabel("owner", "someone");
        _cluster.Seed(foreign);
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("someone", _cluster.Peek("InferenceService", "ns1", "m1-raw")!.Label("owner"));
        Assert.DoesNotContain(_cluster.Requests, r => r.StartsWith("apply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task New_namespace_refuses_an_existing_target_unless_the_plan_allows_it()
    {
        _cluster.Seed(Namespace("target"));
        _ws.Add("src", "m1", "new-namespace", [Isvc("target", "m1", "RawDeployment")], targetNamespace: "target");
        await _ws.WriteAsync();

        var refused = await Run();
        Assert.Equal(ExitCodes.PartialFailure, refused.ExitCode);
        Assert.Null(_cluster.Peek("InferenceService", "target", "m1"));
        Assert.Contains(_log.Lines, l => l.Message.Contains("--ignore-existing-ns", StringComparison.Ordinal));

        _ws.Options = new PlanOptions { IgnoreExistingNamespace = true };
        await _ws.WriteAsync();
        Assert.Equal(ExitCodes.Success, (await Run()).ExitCode);
    }

    [Fact]
    public async Task New_namespace_creates_the_namespace_and_copies_secrets_server_side()
    {
        var secret = Manifest.NewObject(Kinds.Secret, "storage-config", "src");
        secret["data"] = new JsonObject { ["key"] = "c2VjcmV0LXZhbHVl" };
        _cluster.Seed(secret);
        _ws.Add("src", "m1", "new-namespace", [Namespace("target"), Isvc("target", "m1", "RawDeployment")], targetNamespace: "target",
            secretCopies: [new ObjectRef("Secret", "v1", "storage-config", "src")]);
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("Namespace", null, "target"));
        Assert.Equal("c2VjcmV0LXZhbHVl", _cluster.Peek("Secret", "target", "storage-config")!.At("data").Str("key"));
        foreach (var file in Directory.EnumerateFiles(_ws.Layout.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("c2VjcmV0LXZhbHVl", await File.ReadAllTextAsync(file));
        }

        // Several ISVCs going to one new namespace: the second run sees the namespace as its own.
        Assert.Equal(ExitCodes.Success, (await Run()).ExitCode);
    }

    [Fact]
    public async Task Only_the_planned_keys_of_a_shared_secret_are_copied_and_merged_into_the_target()
    {
        var source = Manifest.NewObject(Kinds.Secret, "storage-config", "src");
        source["data"] = new JsonObject { ["models"] = "bW9kZWxzLXZhbHVl", ["other-team"] = "b3RoZXItdmFsdWU=" };
        var existing = Manifest.NewObject(Kinds.Secret, "storage-config", "target");
        existing["data"] = new JsonObject { ["already-there"] = "a2VlcC1tZQ==" };
        _cluster.Seed(source);
        _cluster.Seed(Manifest.NewObject(Kinds.Namespace, "target", null));
        _cluster.Seed(existing);
        var item = _ws.Add("src", "m1", "new-namespace", [Isvc("target", "m1", "RawDeployment")], targetNamespace: "target");
        item.SecretKeyCopies.Add(new SecretKeyCopy("storage-config", "src", "target", ["models"], "storage.key models"));
        _ws.Options = new PlanOptions { IgnoreExistingNamespace = true };
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var data = _cluster.Peek("Secret", "target", "storage-config")!["data"]!.AsObject();
        Assert.Equal(["already-there", "models"], data.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("bW9kZWxzLXZhbHVl", data["models"]!.GetValue<string>());
        foreach (var file in Directory.EnumerateFiles(_ws.Layout.Root, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("bW9kZWxzLXZhbHVl", text, StringComparison.Ordinal);
            Assert.DoesNotContain("b3RoZXItdmFsdWU=", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_planned_key_missing_from_the_source_secret_fails_that_item_naming_the_key()
    {
        var source = Manifest.NewObject(Kinds.Secret, "storage-config", "src");
        source["data"] = new JsonObject { ["other-team"] = "b3RoZXItdmFsdWU=" };
        _cluster.Seed(source);
        var item = _ws.Add("src", "m1", "new-namespace", [Namespace("target"), Isvc("target", "m1", "RawDeployment")], targetNamespace: "target");
        item.SecretKeyCopies.Add(new SecretKeyCopy("storage-config", "src", "target", ["models"], "storage.key models"));
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Contains("has no key 'models'", outcome.Summary + string.Join("\n", _log.Lines.Select(l => l.Message)), StringComparison.Ordinal);
        Assert.Null(_cluster.Peek("Secret", "target", "storage-config"));
        Assert.Null(_cluster.Peek("InferenceService", "target", "m1"));
    }

    [Fact]
    public async Task A_planned_namespace_is_merge_patched_not_replaced()
    {
        var ns = Namespace("ns1", ("modelmesh-enabled", "true"), ("team", "a"));
        var original = Isvc("ns1", "m1", "ModelMesh", uid: "u1");
        _cluster.Seed(ns, original);
        _ws.Add("ns1", "m1", "in-place", [Namespace("ns1", ("modelmesh-enabled", "false")), Isvc("ns1", "m1", "RawDeployment")], original, sourceMode: "ModelMesh");
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var live = _cluster.Peek("Namespace", null, "ns1")!;
        Assert.Equal("false", live.Label("modelmesh-enabled"));
        Assert.Equal("a", live.Label("team"));
        var step = (await Ledger())!.Items.Single(i => i.Namespace == "ns1" && i.Name == "").Steps.Single(s => s.Action == LedgerActions.MergeLabels);
        Assert.Equal("true", step.PreviousLabels!["modelmesh-enabled"]);
    }

    [Fact]
    public async Task A_shared_label_change_waits_until_every_item_carrying_it_is_replaced()
    {
        _cluster.Seed(Namespace("mm", ("modelmesh-enabled", "true")));
        var flip = new LabelChange("Namespace", "v1", "mm", null, "modelmesh-enabled", "true", "false", "flip after all are replaced");
        foreach (var name in new[] { "a", "b" })
        {
            var original = Isvc("mm", name, "ModelMesh", uid: "u-" + name);
            _cluster.Seed(original);
            _ws.Add("mm", name, "in-place", [Isvc("mm", name, "RawDeployment")], original, sourceMode: "ModelMesh", labelChanges: [flip]);
        }

        await _ws.WriteAsync();
        _cluster.Fault = (verb, kind, _, name) => verb == "create" && name == "b" ? new ClusterException(400, "BadRequest", "denied") : null;

        var first = await Run();

        Assert.Equal(ExitCodes.PartialFailure, first.ExitCode);
        Assert.Equal("true", _cluster.Peek("Namespace", null, "mm")!.Label("modelmesh-enabled"));
        Assert.Equal("ModelMesh", _cluster.Peek("InferenceService", "mm", "b")!.Annotation("serving.kserve.io/deploymentMode"));

        _cluster.Fault = null;
        var second = await Run();

        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal("false", _cluster.Peek("Namespace", null, "mm")!.Label("modelmesh-enabled"));
        var step = (await Ledger())!.Items.Single(i => i.Namespace == "mm" && i.Name == "").Steps.Single(s => s.Action == LedgerActions.MergeLabels);
        Assert.Equal("true", step.PreviousLabels!["modelmesh-enabled"]);
    }

    [Fact]
    public async Task In_place_deletes_and_recreates_the_owned_companions_and_restores_them_on_rollback()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        var sa = ServiceAccount("ns1", "m1-sa");
        sa.SetLabel("generation", "old");
        _cluster.Seed(original, sa);
        _ws.Add("ns1", "m1", "in-place", [ServiceAccount("ns1", "m1-sa"), Isvc("ns1", "m1", "RawDeployment")], original, extraOriginals: [sa]);
        await _ws.WriteAsync();
        var oldSaUid = _cluster.Peek("ServiceAccount", "ns1", "m1-sa")!.Uid();
        _cluster.Fault = (verb, kind, _, _) => verb == "create" && kind == "InferenceService" ? new ClusterException(400, "BadRequest", "denied") : null;

        var failed = await Run();

        Assert.Equal(ExitCodes.PartialFailure, failed.ExitCode);
        Assert.Equal("u-orig", (await Ledger())!.Items.Single(i => i.Name == "m1").Steps.First(s => s.Action == LedgerActions.DeleteOriginal).Uid);
        Assert.Equal("Serverless", _cluster.Peek("InferenceService", "ns1", "m1")!.Annotation("serving.kserve.io/deploymentMode"));
        Assert.Equal("old", _cluster.Peek("ServiceAccount", "ns1", "m1-sa")!.Label("generation"));

        _cluster.Fault = null;
        Assert.Equal(ExitCodes.Success, (await Run()).ExitCode);
        var newSa = _cluster.Peek("ServiceAccount", "ns1", "m1-sa")!;
        Assert.NotEqual(oldSaUid, newSa.Uid());
        Assert.Null(newSa.Label("generation"));
        Assert.True(newSa.IsOwnedBy(_cluster.Peek("InferenceService", "ns1", "m1")!.Uid()));
    }

    [Fact]
    public async Task Auth_objects_get_an_owner_reference_to_the_new_isvc_and_the_token_comes_after_it()
    {
        _ws.Add("ns1", "m1", "side-by-side", [ServiceAccount("ns1", "m1-raw-sa"), Isvc("ns1", "m1-raw", "RawDeployment"), TokenSecret("ns1", "m1-raw-sa-token", "m1-raw-sa")]);
        await _ws.WriteAsync();

        await Run();

        var uid = _cluster.Peek("InferenceService", "ns1", "m1-raw")!.Uid();
        Assert.True(_cluster.Peek("ServiceAccount", "ns1", "m1-raw-sa")!.IsOwnedBy(uid));
        Assert.True(_cluster.Peek("Secret", "ns1", "m1-raw-sa-token")!.IsOwnedBy(uid));
        var creates = _cluster.Requests.Where(r => r.StartsWith("create", StringComparison.Ordinal)).ToList();
        Assert.True(creates.IndexOf("create InferenceService ns1/m1-raw") < creates.IndexOf("create Secret ns1/m1-raw-sa-token"));
    }

    [Fact]
    public async Task In_place_releases_the_auth_objects_from_the_original_before_deleting_it()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        var sa = ServiceAccount("ns1", "m1-sa");
        sa.Metadata()["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "serving.kserve.io/v1beta1", ["kind"] = "InferenceService", ["name"] = "m1", ["uid"] = "u-orig" });
        _cluster.Seed(original, sa);
        _ws.Add("ns1", "m1", "in-place", [ServiceAccount("ns1", "m1-sa"), Isvc("ns1", "m1", "RawDeployment")], original);
        await _ws.WriteAsync();
        var released = false;
        _cluster.Fault = (verb, kind, _, _) =>
        {
            if (verb == "delete" && kind == "InferenceService")
            {
                released = !_cluster.Peek("ServiceAccount", "ns1", "m1-sa")!.IsOwnedBy("u-orig");
            }

            return null;
        };

        Assert.Equal(ExitCodes.Success, (await Run()).ExitCode);

        Assert.True(released);
        var uid = _cluster.Peek("InferenceService", "ns1", "m1")!.Uid();
        Assert.True(_cluster.Peek("ServiceAccount", "ns1", "m1-sa")!.IsOwnedBy(uid));
    }

    [Fact]
    public async Task Stop_original_annotates_a_serverless_original_after_the_replacement_exists_and_explains_modelmesh()
    {
        _cluster.Seed(Isvc("ns1", "s1"), Isvc("ns1", "mm1", "ModelMesh"));
        _ws.Add("ns1", "s1", "side-by-side", [Isvc("ns1", "s1-raw", "RawDeployment")]);
        _ws.Add("ns1", "mm1", "side-by-side", [Isvc("ns1", "mm1-raw", "RawDeployment")], sourceMode: "ModelMesh");
        await _ws.WriteAsync();

        await Run(Fast with { StopOriginal = true, Concurrency = 1 });

        Assert.Equal("true", _cluster.Peek("InferenceService", "ns1", "s1")!.Annotation("serving.kserve.io/stop"));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "mm1")!.Annotation("serving.kserve.io/stop"));
        Assert.Contains(_log.Lines, l => l.Message.Contains("ModelMesh InferenceServices cannot be stopped", StringComparison.Ordinal));
        var requests = _cluster.Requests;
        Assert.True(requests.IndexOf("create InferenceService ns1/s1-raw") < requests.IndexOf("patch InferenceService ns1/s1"));
    }

    [Fact]
    public async Task Dry_run_writes_nothing_and_no_ledger()
    {
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();

        var outcome = await Run(Fast with { DryRun = true });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Empty(_cluster.All("InferenceService"));
        Assert.Contains("apply InferenceService ns1/m1-raw", _cluster.Requests);
        Assert.False(File.Exists(_ws.Layout.Ledger));
    }

    [Fact]
    public async Task Items_transform_refused_are_reported_and_never_applied()
    {
        _ws.AddRefused("ns1", "bad", "name too long");
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();

        var outcome = await Run();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Single(_cluster.All("InferenceService"));
    }

    [Fact]
    public async Task An_interrupted_run_is_finished_by_the_next_one()
    {
        for (var i = 0; i < 8; i++)
        {
            var original = Isvc("ns1", $"m{i}", uid: $"u{i}");
            _cluster.Seed(original);
            _ws.Add("ns1", $"m{i}", i % 2 == 0 ? "in-place" : "side-by-side",
                [Runtime("ns1", $"rt{i}"), Isvc("ns1", i % 2 == 0 ? $"m{i}" : $"m{i}-raw", "RawDeployment")], original);
        }

        await _ws.WriteAsync();
        using var cts = new CancellationTokenSource();
        var writes = 0;
        _cluster.Fault = (verb, _, _, _) =>
        {
            if (verb is "create" or "delete" && ++writes == 7)
            {
                cts.Cancel();
            }

            return null;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(Fast with { Concurrency = 2 }, cts.Token));

        // Right after the interruption every ISVC is served by its original or a replacement (the in-place critical section completed).
        for (var i = 0; i < 8; i++)
        {
            Assert.NotNull(_cluster.Peek("InferenceService", "ns1", $"m{i}"));
        }

        _cluster.Fault = null;
        var outcome = await Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal("8", outcome.Results["applied"]);
        for (var i = 0; i < 8; i++)
        {
            var name = i % 2 == 0 ? $"m{i}" : $"m{i}-raw";
            Assert.Equal("RawDeployment", _cluster.Peek("InferenceService", "ns1", name)!.Annotation("serving.kserve.io/deploymentMode"));
        }
    }
}
