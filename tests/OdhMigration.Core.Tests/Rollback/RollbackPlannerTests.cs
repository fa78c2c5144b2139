using System.Text.Json.Nodes;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Tests.Rollback;

public sealed class RollbackPlannerTests
{
    private const string Ns = "team";

    [Fact]
    public void Replacements_go_in_reverse_dependency_order_then_originals_are_recreated_runtime_first_token_last()
    {
        using var ws = new TempWorkspace();
        var deletions = new[] { Deletion(ws, "Secret", "v1", "isvc-sa-token"), Deletion(ws, "Route", "route.openshift.io/v1", "isvc-team", "istio-system"), Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "isvc"), Deletion(ws, "RoleBinding", "rbac.authorization.k8s.io/v1", "isvc-view"), Deletion(ws, "ServiceAccount", "v1", "isvc-sa"), Deletion(ws, "ServingRuntime", "serving.kserve.io/v1alpha1", "rt"), Deletion(ws, "Role", "rbac.authorization.k8s.io/v1", "isvc-role") };
        var item = Item() with { DeleteOnCleanup = [.. deletions] };
        var ledger = Ledger(
            Written(1, "ServingRuntime", "rt-raw", "u1"), Written(2, "ServiceAccount", "isvc-raw-sa", "u2"), Written(3, "InferenceService", "isvc-raw", "u3"), Written(4, "Secret", "isvc-raw-sa-token", "u4"));
        var cleanup = Cleanup(deletions.Select(d => new CleanupObject(d.Kind, d.Namespace, d.Name, CleanupOutcomes.Deleted, null, d.BackupFile, null)));

        var plan = RollbackPlanner.Build(Inputs(item, ledger, cleanup), ws.Layout);

        var steps = Assert.Single(plan.Items).Steps;
        Assert.Equal(
            ["delete-replacement Secret", "delete-replacement InferenceService", "delete-replacement ServiceAccount", "delete-replacement ServingRuntime",
             "recreate-original ServingRuntime", "recreate-original ServiceAccount", "recreate-original Role", "recreate-original RoleBinding",
             "recreate-original InferenceService", "recreate-original Route", "recreate-original Secret"],
            steps.Select(s => $"{s.Action} {s.Kind}"));
        Assert.Equal(["u4", "u3", "u2", "u1"], steps.Where(s => s.Action == RollbackActions.DeleteReplacement).Select(s => s.Uid));
        Assert.All(steps.Where(s => s.Action == RollbackActions.RecreateOriginal), s => Assert.Equal(64, s.BackupSha256?.Length));
    }

    [Fact]
    public void A_replacement_takes_the_uid_of_the_last_write_apply_recorded_and_failed_or_intent_writes_are_not_replacements()
    {
        using var ws = new TempWorkspace();
        var ledger = Ledger(
            Written(1, "InferenceService", "isvc-raw", "old"),
            Written(5, "InferenceService", "isvc-raw", "new"),
            Written(6, "ServiceAccount", "isvc-raw-sa", "u6") with { State = LedgerStepStates.Failed },
            Written(7, "Role", "isvc-raw-role", null) with { State = LedgerStepStates.Intent });

        var plan = RollbackPlanner.Build(Inputs(Item(), ledger, null), ws.Layout);

        var step = Assert.Single(Assert.Single(plan.Items).Steps);
        Assert.Equal((RollbackActions.DeleteReplacement, "isvc-raw", "new"), (step.Action, step.Name, step.Uid));
    }

    [Fact]
    public void An_original_apply_wrote_over_without_deleting_it_is_never_a_replacement_to_delete()
    {
        using var ws = new TempWorkspace();
        var keep = new PlannedKeep("ServingRuntime", "shared-rt", Ns, "used by others");
        var ledger = Ledger(Written(1, "ServingRuntime", "shared-rt", "orig-uid"), Written(2, "InferenceService", "isvc", "u2"));
        var item = Item() with { Keep = [keep], DeleteBeforeApply = [Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "isvc")] };

        // in-place: the ISVC of the same name counts as a replacement only once apply deleted the original.
        var notDeleted = RollbackPlanner.Build(Inputs(item, ledger, null), ws.Layout);
        Assert.Empty(Assert.Single(notDeleted.Items).Steps);

        ledger.Items[0].Steps.Add(new LedgerStep { Seq = 0, Action = LedgerActions.DeleteOriginal, Kind = "InferenceService", Namespace = Ns, Name = "isvc", State = LedgerStepStates.Done, Uid = "orig-isvc" });
        var deleted = RollbackPlanner.Build(Inputs(item, ledger, null), ws.Layout);
        Assert.Equal(["delete-replacement InferenceService isvc", "recreate-original InferenceService isvc"], Assert.Single(deleted.Items).Steps.Select(s => $"{s.Action} {s.Kind} {s.Name}"));
    }

    [Fact]
    public void A_backup_whose_sha256_differs_from_the_record_refuses_that_item_only()
    {
        using var ws = new TempWorkspace();
        var good = Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "good");
        var bad = Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "bad") with { BackupSha256 = new string('a', 64) };
        var items = new[] { Item("good") with { DeleteOnCleanup = [good] }, Item("bad") with { DeleteOnCleanup = [bad] } };
        var ledger = new Ledger { Items = [LedgerFor("good", Written(1, "InferenceService", "good-raw", "u1")), LedgerFor("bad", Written(2, "InferenceService", "bad-raw", "u2"))] };
        var cleanup = new CleanupReport
        {
            Items =
            [
                new CleanupItem { Namespace = Ns, Name = "good", Objects = [new("InferenceService", Ns, "good", CleanupOutcomes.Deleted, null, good.BackupFile, null)] },
                new CleanupItem { Namespace = Ns, Name = "bad", Objects = [new("InferenceService", Ns, "bad", CleanupOutcomes.Deleted, null, bad.BackupFile, null)] },
            ],
        };

        var plan = RollbackPlanner.Build(new RollbackInputs(new Plan { Items = [.. items] }, ledger, null, cleanup, null, [], null), ws.Layout);

        Assert.Null(plan.Items.Single(i => i.Name == "good").Refusal);
        Assert.Equal(2, plan.Items.Single(i => i.Name == "good").Steps.Count);
        var refused = plan.Items.Single(i => i.Name == "bad");
        Assert.Contains("changed since export", refused.Refusal, StringComparison.Ordinal);
        Assert.Empty(refused.Steps);
    }

    [Theory]
    [InlineData("../outside.yaml")]
    [InlineData("/etc/hostname")]
    public void A_backup_path_outside_the_workspace_refuses_that_item_only(string hostilePath)
    {
        using var ws = new TempWorkspace();
        var good = Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "good");
        var bad = Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "bad") with { BackupFile = hostilePath };
        var items = new[] { Item("good") with { DeleteOnCleanup = [good] }, Item("bad") with { DeleteOnCleanup = [bad] } };
        var ledger = new Ledger { Items = [LedgerFor("good", Written(1, "InferenceService", "good-raw", "u1")), LedgerFor("bad", Written(2, "InferenceService", "bad-raw", "u2"))] };
        var cleanup = new CleanupReport
        {
            Items =
            [
                new CleanupItem { Namespace = Ns, Name = "good", Objects = [new("InferenceService", Ns, "good", CleanupOutcomes.Deleted, null, good.BackupFile, null)] },
                new CleanupItem { Namespace = Ns, Name = "bad", Objects = [new("InferenceService", Ns, "bad", CleanupOutcomes.Deleted, null, hostilePath, null)] },
            ],
        };

        var plan = RollbackPlanner.Build(new RollbackInputs(new Plan { Items = [.. items] }, ledger, null, cleanup, null, [], null), ws.Layout);

        Assert.Equal(2, plan.Items.Single(i => i.Name == "good").Steps.Count);
        var refused = plan.Items.Single(i => i.Name == "bad");
        Assert.StartsWith("backup of InferenceService team/bad: path '", refused.Refusal, StringComparison.Ordinal);
        Assert.Contains(hostilePath, refused.Refusal, StringComparison.Ordinal);
        Assert.Empty(refused.Steps);
    }

    [Fact]
    public void Originals_cleanup_kept_or_never_deleted_are_not_recreated_and_labels_apply_changed_are_restored_once()
    {
        using var ws = new TempWorkspace();
        var runtime = Deletion(ws, "ServingRuntime", "serving.kserve.io/v1alpha1", "rt");
        var label = new LabelChange("Namespace", "v1", Ns, null, "modelmesh-enabled", "true", "false", "in-place");
        var items = new[] { Item("a") with { DeleteOnCleanup = [runtime], LabelChanges = [label] }, Item("b") with { LabelChanges = [label] } };
        var labelStep = new LedgerStep { Seq = 9, Action = LedgerActions.MergeLabels, Kind = "Namespace", Name = Ns, State = LedgerStepStates.Done, PreviousLabels = new() { ["modelmesh-enabled"] = "true" } };
        var ledger = new Ledger { Items = [LedgerFor("a", Written(1, "InferenceService", "a-raw", "u1")), LedgerFor("b", Written(2, "InferenceService", "b-raw", "u2")), new LedgerItem { Namespace = Ns, Name = "", Steps = [labelStep] }] };
        var cleanup = new CleanupReport { Items = [new CleanupItem { Namespace = Ns, Name = "a", Objects = [new("ServingRuntime", Ns, "rt", CleanupOutcomes.Kept, "used by b", runtime.BackupFile, null)] }] };

        var plan = RollbackPlanner.Build(new RollbackInputs(new Plan { Items = [.. items] }, ledger, null, cleanup, null, [], null), ws.Layout);

        var all = plan.Items.SelectMany(i => i.Steps).ToList();
        Assert.DoesNotContain(all, s => s.Action == RollbackActions.RecreateOriginal);
        var restore = Assert.Single(all, s => s.Action == RollbackActions.RestoreLabel);
        Assert.Equal(("modelmesh-enabled", "true", "false"), (restore.LabelKey, restore.LabelValue, restore.LabelAppliedValue));
    }

    [Fact]
    public void The_same_documents_always_give_the_same_plan_bytes()
    {
        using var ws = new TempWorkspace();
        var inputs = Inputs(Item(), Ledger(Written(1, "InferenceService", "isvc-raw", "u1")), null);

        var first = System.Text.Json.JsonSerializer.Serialize(RollbackPlanner.Build(inputs, ws.Layout), RollbackPlanJsonContext.Default.RollbackPlan);
        var second = System.Text.Json.JsonSerializer.Serialize(RollbackPlanner.Build(inputs, ws.Layout), RollbackPlanJsonContext.Default.RollbackPlan);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("Serverless", "kserve", "Removed", true)]
    [InlineData("Serverless", "kserve", "Managed", false)]
    [InlineData("ModelMesh", "modelmeshserving", "Removed", true)]
    [InlineData("ModelMesh", "kserve", "Removed", false)]
    public void An_original_the_cluster_can_no_longer_host_is_refused(string mode, string component, string state, bool refused)
    {
        var dsc = (JsonObject)JsonNode.Parse(component == "kserve"
            ? """{"metadata":{"name":"dsc"},"spec":{"components":{"kserve":{"serving":{"managementState":"STATE"}}}}}""".Replace("STATE", state, StringComparison.Ordinal)
            : """{"metadata":{"name":"dsc"},"spec":{"components":{"modelmeshserving":{"managementState":"STATE"}}}}""".Replace("STATE", state, StringComparison.Ordinal))!;

        var reason = RollbackPlanner.HostingRefusal(Item() with { SourceMode = mode }, dsc);

        Assert.Equal(refused, reason is not null);
        if (refused)
        {
            Assert.Contains("Removed", reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void An_original_apply_stopped_and_cleanup_left_is_resumed_by_its_uid_to_the_exported_value_after_its_replacement_goes(string? exported)
    {
        using var ws = new TempWorkspace();
        var export = ExportWithIsvc(ws, exported);
        var ledger = Ledger(Written(1, "InferenceService", "isvc-raw", "u1"), StopStep(2, "orig-uid"));

        var plan = RollbackPlanner.Build(Inputs(Item(), ledger, null) with { Export = export, StoppedLive = Live("orig-uid") }, ws.Layout);

        var steps = Assert.Single(plan.Items).Steps;
        Assert.Equal(["delete-replacement InferenceService isvc-raw", "resume-original InferenceService isvc"], steps.Select(s => $"{s.Action} {s.Kind} {s.Name}"));
        var resume = steps[1];
        Assert.Equal((Ns, "orig-uid", "serving.kserve.io/stop", exported, "true"), (resume.Namespace, resume.Uid, resume.AnnotationKey, resume.AnnotationValue, resume.AnnotationAppliedValue));
        Assert.Null(resume.Refusal);
    }

    [Fact]
    public void A_stopped_original_now_another_object_or_gone_is_refused_by_name_and_the_rest_of_the_item_still_planned()
    {
        using var ws = new TempWorkspace();
        var export = ExportWithIsvc(ws, null);
        var ledger = Ledger(Written(1, "InferenceService", "isvc-raw", "u1"), StopStep(2, "orig-uid"));

        var other = RollbackPlanner.Build(Inputs(Item(), ledger, null) with { Export = export, StoppedLive = Live("someone-elses") }, ws.Layout);
        var item = Assert.Single(other.Items);
        Assert.Null(item.Refusal);
        Assert.Equal([RollbackActions.DeleteReplacement, RollbackActions.ResumeOriginal], item.Steps.Select(s => s.Action));
        Assert.Contains("InferenceService team/isvc is uid someone-elses, not the original apply stopped (uid orig-uid)", item.Steps[1].Refusal, StringComparison.Ordinal);

        var gone = RollbackPlanner.Build(Inputs(Item(), ledger, null) with { Export = export }, ws.Layout);
        Assert.Contains("InferenceService team/isvc is gone", Assert.Single(gone.Items).Steps[1].Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_original_cleanup_deleted_is_recreated_from_its_backup_not_resumed()
    {
        using var ws = new TempWorkspace();
        var deletion = Deletion(ws, "InferenceService", "serving.kserve.io/v1beta1", "isvc");
        var item = Item() with { DeleteOnCleanup = [deletion] };
        var ledger = Ledger(Written(1, "InferenceService", "isvc-raw", "u1"), StopStep(2, "orig-uid"));
        var cleanup = Cleanup([new CleanupObject("InferenceService", Ns, "isvc", CleanupOutcomes.Deleted, null, deletion.BackupFile, null)]);

        var plan = RollbackPlanner.Build(Inputs(item, ledger, cleanup) with { Export = ExportWithIsvc(ws, null) }, ws.Layout);

        Assert.Equal([RollbackActions.DeleteReplacement, RollbackActions.RecreateOriginal], Assert.Single(plan.Items).Steps.Select(s => s.Action));
    }

    private static LedgerStep StopStep(long seq, string uid) =>
        new() { Seq = seq, Action = LedgerActions.StopOriginal, Kind = "InferenceService", ApiVersion = "serving.kserve.io/v1beta1", Namespace = Ns, Name = "isvc", State = LedgerStepStates.Done, Uid = uid };

    private static Dictionary<string, JsonObject?> Live(string uid) =>
        new() { [$"{Ns}/isvc"] = new JsonObject { ["kind"] = "InferenceService", ["metadata"] = new JsonObject { ["name"] = "isvc", ["namespace"] = Ns, ["uid"] = uid } } };

    /// <summary>export.json with the original ISVC's backup on disk, its stop annotation as given (none when null).</summary>
    private static ExportReport ExportWithIsvc(TempWorkspace ws, string? stop)
    {
        var relative = $"{Ns}/export/inferenceservice-isvc.yaml";
        var annotations = stop is null ? "" : $"  annotations:\n    serving.kserve.io/stop: \"{stop}\"\n";
        var text = $"apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: isvc\n  namespace: {Ns}\n{annotations}";
        Directory.CreateDirectory(Path.GetDirectoryName(ws.Layout.Absolute(relative))!);
        File.WriteAllText(ws.Layout.Absolute(relative), text);
        return new ExportReport { Items = [new ExportedItem { Namespace = Ns, Name = "isvc", Files = [new ExportedFile(relative, Hashing.Sha256Hex(text), ExportRoles.Isvc, "InferenceService", "isvc", Ns)] }] };
    }

    private static PlanItem Item(string name = "isvc") => new() { Namespace = Ns, Name = name, SourceMode = "Serverless", Strategy = Strategies.SideBySide, TargetNamespace = Ns, TargetName = name + "-raw" };

    private static RollbackInputs Inputs(PlanItem item, Ledger ledger, CleanupReport? cleanup) => new(new Plan { Items = [item] }, ledger, null, cleanup, null, [], null);

    private static Ledger Ledger(params LedgerStep[] steps) => new() { Items = [LedgerFor("isvc", steps)] };

    private static LedgerItem LedgerFor(string name, params LedgerStep[] steps) => new() { Namespace = Ns, Name = name, State = LedgerItemStates.Applied, Steps = [.. steps] };

    private static LedgerStep Written(long seq, string kind, string name, string? uid) =>
        new() { Seq = seq, Action = LedgerActions.Apply, Kind = kind, ApiVersion = "v1", Namespace = Ns, Name = name, State = LedgerStepStates.Done, Uid = uid };

    /// <summary>A planned deletion with its backup on disk and the backup's sha256 recorded.</summary>
    private static PlannedDeletion Deletion(TempWorkspace ws, string kind, string apiVersion, string name, string ns = Ns)
    {
        var relative = $"{Ns}/backups/{kind.ToLowerInvariant()}-{name}.yaml";
        var text = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\n";
        Directory.CreateDirectory(Path.GetDirectoryName(ws.Layout.Absolute(relative))!);
        File.WriteAllText(ws.Layout.Absolute(relative), text);
        return new PlannedDeletion(kind, apiVersion, name, ns, "original", relative) { BackupSha256 = Hashing.Sha256Hex(text) };
    }

    private static CleanupReport Cleanup(IEnumerable<CleanupObject> objects) => new() { Items = [new CleanupItem { Namespace = Ns, Name = "isvc", Objects = [.. objects] }] };
}
