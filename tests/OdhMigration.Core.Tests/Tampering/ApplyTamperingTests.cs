using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Tampering;

/// <summary>apply after someone edited what the approved plan was made from: nothing is written, or only the untouched items are.</summary>
public sealed class ApplyTamperingTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();
    private readonly MemoryStageLog _log = new();

    public ApplyTamperingTests() => FakeKServe.Install(_cluster);

    public void Dispose() => _ws.Dispose();

    private static ApplyOptions Fast => FastOptions.Apply;

    private Task<StageOutcome> Apply(string? expectSha = null) => new ApplyEngine(_cluster, _log).RunAsync(Fast with { ExpectPlanSha256 = expectSha }, _ws.Layout);

    private List<string> Writes() => _cluster.Requests.Where(r => !r.StartsWith("get", StringComparison.Ordinal) && !r.StartsWith("list", StringComparison.Ordinal)).ToList();

    /// <summary>Two side-by-side items; returns the approved plan sha256.</summary>
    private async Task<string> PlanTwoAsync(string? gitOps = null)
    {
        foreach (var name in new[] { "m1", "m2" })
        {
            var original = Isvc("ns1", name, uid: $"u-{name}");
            _cluster.Seed(original);
            _ws.Add("ns1", name, "side-by-side", [Isvc("ns1", $"{name}-raw", "RawDeployment")], original, gitOps: name == "m1" ? gitOps : null);
        }

        var sha = await _ws.WriteAsync();
        _cluster.Requests.Clear();
        return sha;
    }

    private static async Task EditJsonAsync(string path, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        edit(node);
        await File.WriteAllTextAsync(path, node.ToJsonString());
    }

    [Fact]
    public async Task An_inventory_edited_to_hide_a_gitops_owner_refuses_the_whole_run()
    {
        var sha = await PlanTwoAsync(gitOps: "argocd");
        var before = await Hashing.Sha256FileAsync(_ws.Layout.Inventory);
        await EditJsonAsync(_ws.Layout.Inventory, inv => inv["items"]![0]!["facts"]!.AsObject().Remove("gitOps"));
        var after = await Hashing.Sha256FileAsync(_ws.Layout.Inventory);

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains("inventory.json changed since the plan was made", refused.Message, StringComparison.Ordinal);
        Assert.Contains(before, refused.Message, StringComparison.Ordinal);
        Assert.Contains(after, refused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
        Assert.False(File.Exists(_ws.Layout.Ledger));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m2-raw"));
    }

    [Fact]
    public async Task An_inventory_edited_to_change_an_in_place_uid_refuses_before_any_delete()
    {
        var original = Isvc("ns1", "m1", uid: "u-orig");
        _cluster.Seed(original);
        _ws.Add("ns1", "m1", "in-place", [Isvc("ns1", "m1", "RawDeployment")], original);
        var sha = await _ws.WriteAsync();
        _cluster.Requests.Clear();
        await EditJsonAsync(_ws.Layout.Inventory, inv => inv["items"]![0]!["uid"] = "u-someone-else");

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains("inventory.json", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
        Assert.Equal("u-orig", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
    }

    [Fact]
    public async Task An_edited_export_json_refuses_the_whole_run()
    {
        var sha = await PlanTwoAsync();
        var recorded = await Hashing.Sha256FileAsync(_ws.Layout.Export);
        await EditJsonAsync(_ws.Layout.Export, export => export["items"]![0]!["files"]![0]!["sha256"] = new string('0', 64));

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains("export.json changed since the plan was made", refused.Message, StringComparison.Ordinal);
        Assert.Contains(recorded, refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
        Assert.False(File.Exists(_ws.Layout.Ledger));
    }

    [Fact]
    public async Task A_missing_inventory_refuses_the_run_naming_the_recorded_hash()
    {
        var sha = await PlanTwoAsync();
        var recorded = await Hashing.Sha256FileAsync(_ws.Layout.Inventory);
        File.Delete(_ws.Layout.Inventory);

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains("inventory.json is missing", refused.Message, StringComparison.Ordinal);
        Assert.Contains(recorded, refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
    }

    [Fact]
    public async Task A_plan_that_records_no_hash_of_the_inventory_is_not_covered_and_is_refused()
    {
        await PlanTwoAsync();
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(_ws.Layout);
        var sha = await WorkspaceDocuments.WriteAsync(_ws.Layout.Plan, plan with { Consumed = plan.Consumed.Where(c => c.Path != "inventory.json").ToList() }, PlanJsonContext.Default.Plan);

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains("records no sha256 of inventory.json", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
    }

    [Fact]
    public async Task An_edited_file_apply_would_apply_refuses_the_whole_run_naming_the_file()
    {
        var sha = await PlanTwoAsync();
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(_ws.Layout);
        var file = plan.Items.Single(i => i.Name == "m2").Files.Single(f => f.Kind == "InferenceService");
        await File.AppendAllTextAsync(_ws.Layout.Absolute(file.Path), "# harmless-looking edit\n");

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Apply(sha));

        Assert.Contains(file.Path, refused.Message, StringComparison.Ordinal);
        Assert.Contains("changed since transform", refused.Message, StringComparison.Ordinal);
        Assert.Contains(file.Sha256, refused.Message, StringComparison.Ordinal);
        Assert.Empty(Writes());
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1-raw"));
    }

    [Fact]
    public async Task In_place_with_an_edited_backup_fails_that_item_without_deleting_its_original_and_applies_the_others()
    {
        foreach (var name in new[] { "m1", "m2" })
        {
            var original = Isvc("ns1", name, uid: $"u-{name}");
            _cluster.Seed(original);
            _ws.Add("ns1", name, "in-place", [Isvc("ns1", name, "RawDeployment")], original);
        }

        var sha = await _ws.WriteAsync();
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(_ws.Layout);
        var backup = plan.Items.Single(i => i.Name == "m1").DeleteBeforeApply.Single().BackupFile!;
        var text = await File.ReadAllTextAsync(_ws.Layout.Absolute(backup));
        await File.WriteAllTextAsync(_ws.Layout.Absolute(backup), text.Replace("s3://b/m", "s3://elsewhere/m", StringComparison.Ordinal));

        var outcome = await Apply(sha);

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("u-m1", _cluster.Peek("InferenceService", "ns1", "m1")!.Uid());
        Assert.DoesNotContain("delete InferenceService ns1/m1", _cluster.Requests);
        Assert.Equal("RawDeployment", _cluster.Peek("InferenceService", "ns1", "m2")!.Annotation("serving.kserve.io/deploymentMode"));
        var error = Assert.Single(_log.Lines, l => l.Level == LogLevel.Error && l.Message.Contains(backup, StringComparison.Ordinal)).Message;
        Assert.Contains("changed since export", error, StringComparison.Ordinal);
    }
}
