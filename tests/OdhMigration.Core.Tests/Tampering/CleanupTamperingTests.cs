using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Tampering;

/// <summary>cleanup after someone edited a backup or a document the plan was made from: the original it protects is not deleted.</summary>
public sealed class CleanupTamperingTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();
    private readonly MemoryStageLog _log = new();

    public CleanupTamperingTests() => FakeKServe.Install(_cluster);

    public void Dispose() => _ws.Dispose();

    private static CleanupOptions Fast => FastOptions.Cleanup;

    private Task<StageOutcome> Clean() => new CleanupEngine(_cluster, _log).RunAsync(Fast, _ws.Layout);

    private async Task<CleanupReport> Report() =>
        (await WorkspaceDocuments.ReadAsync(_ws.Layout, _ws.Layout.Cleanup, CleanupReport.DocumentKind, 1, CleanupReportJsonContext.Default.CleanupReport)).Document;

    private List<string> Deletes() => _cluster.Requests.Where(r => r.StartsWith("delete", StringComparison.Ordinal)).ToList();

    /// <summary>Side-by-side m1, m2 (each with its own runtime), applied and validated.</summary>
    private async Task MigrateAsync(Func<PlanItem, PlanItem>? editPlan = null)
    {
        foreach (var name in new[] { "m1", "m2" })
        {
            var original = Isvc("ns1", name, runtime: $"rt-{name}", uid: $"u-{name}");
            var runtime = Runtime("ns1", $"rt-{name}");
            _cluster.Seed(original, runtime);
            _ws.Add("ns1", name, "side-by-side", [Runtime("ns1", $"rt-{name}-raw"), Isvc("ns1", $"{name}-raw", "RawDeployment", $"rt-{name}-raw")], original, extraOriginals: [runtime]);
        }

        await _ws.WriteAsync();
        if (editPlan is not null)
        {
            var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(_ws.Layout);
            await WorkspaceDocuments.WriteAsync(_ws.Layout.Plan, plan with { Items = plan.Items.Select(editPlan).ToList() }, PlanJsonContext.Default.Plan);
        }

        Assert.Equal(ExitCodes.Success, (await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, _ws.Layout)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await new ValidateEngine(_cluster, new MemoryStageLog()).RunAsync(FastOptions.ValidateBeforeCleanup, _ws.Layout)).ExitCode);
        _cluster.Requests.Clear();
    }

    private async Task<string> BackupOf(string item, string kind) =>
        (await WorkspaceDocuments.ReadPlanAsync(_ws.Layout)).Document.Items.Single(i => i.Name == item).DeleteOnCleanup.Single(d => d.Kind == kind).BackupFile!;

    [Fact]
    public async Task An_edited_backup_keeps_its_original_names_the_file_and_the_others_are_still_deleted()
    {
        await MigrateAsync();
        var backup = await BackupOf("m1", "ServingRuntime");
        await File.AppendAllTextAsync(_ws.Layout.Absolute(backup), "# edited\n");

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("ServingRuntime", "ns1", "rt-m1"));
        Assert.DoesNotContain("delete ServingRuntime ns1/rt-m1", Deletes());
        var failed = (await Report()).Items.Single(i => i.Name == "m1").Objects.Single(o => o.Kind == "ServingRuntime");
        Assert.Equal("failed", failed.Outcome);
        Assert.Contains(backup, failed.Reason, StringComparison.Ordinal);
        Assert.Contains("changed since export", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Error && l.Message.Contains(backup, StringComparison.Ordinal));

        // The rest goes on: m1's ISVC (its backup is intact) and everything of m2.
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1"));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m2"));
        Assert.Null(_cluster.Peek("ServingRuntime", "ns1", "rt-m2"));
    }

    [Fact]
    public async Task A_backup_replaced_by_a_different_valid_object_of_the_same_name_is_still_refused()
    {
        await MigrateAsync();
        var backup = await BackupOf("m2", "InferenceService");
        var text = await File.ReadAllTextAsync(_ws.Layout.Absolute(backup));
        await File.WriteAllTextAsync(_ws.Layout.Absolute(backup), text.Replace("s3://b/m", "s3://attacker/m", StringComparison.Ordinal));

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m2"));
        Assert.DoesNotContain("delete InferenceService ns1/m2", Deletes());
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m1"));
    }

    [Fact]
    public async Task An_older_plan_without_backup_hashes_falls_back_to_export_json_and_still_catches_an_edit()
    {
        await MigrateAsync(item => item with { DeleteOnCleanup = item.DeleteOnCleanup.Select(d => d with { BackupSha256 = null }).ToList() });
        var backup = await BackupOf("m1", "InferenceService");
        await File.AppendAllTextAsync(_ws.Layout.Absolute(backup), "# edited\n");

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1"));
        Assert.Null(_cluster.Peek("InferenceService", "ns1", "m2"));
        Assert.Contains("changed since export", (await Report()).Items.Single(i => i.Name == "m1").Objects.Single(o => o.Kind == "InferenceService").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_with_no_recorded_hash_anywhere_is_not_trusted()
    {
        await MigrateAsync(item => item with { DeleteOnCleanup = item.DeleteOnCleanup.Select(d => d with { BackupSha256 = null }).ToList() });
        await File.WriteAllTextAsync(_ws.Layout.Export, """{"schemaVersion":1,"kind":"ExportReport","items":[]}""");
        var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(_ws.Layout);
        var exportSha = await Hashing.Sha256FileAsync(_ws.Layout.Export);
        await WorkspaceDocuments.WriteAsync(_ws.Layout.Plan, plan with { Consumed = [.. plan.Consumed.Where(c => c.Path != "export.json"), new ConsumedDocument("export.json", exportSha)] }, PlanJsonContext.Default.Plan);
        await new ValidateEngine(_cluster, new MemoryStageLog()).RunAsync(FastOptions.ValidateBeforeCleanup, _ws.Layout);
        _cluster.Requests.Clear();

        var outcome = await Clean();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Empty(Deletes());
        Assert.All((await Report()).Items.SelectMany(i => i.Objects), o => Assert.Contains("no sha256 on record", o.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("inventory.json")]
    [InlineData("export.json")]
    public async Task A_document_the_plan_was_made_from_edited_before_cleanup_refuses_it_all(string document)
    {
        await MigrateAsync();
        var path = _ws.Layout.Absolute(document);
        var node = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        node["warnings"] = new JsonArray("edited by hand");
        await File.WriteAllTextAsync(path, node.ToJsonString());

        var refused = await Assert.ThrowsAsync<PreconditionException>(() => Clean());

        Assert.Contains($"{document} changed since the plan was made", refused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was deleted", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Deletes());
        Assert.False(File.Exists(_ws.Layout.Cleanup));
        Assert.NotNull(_cluster.Peek("InferenceService", "ns1", "m1"));
    }
}
