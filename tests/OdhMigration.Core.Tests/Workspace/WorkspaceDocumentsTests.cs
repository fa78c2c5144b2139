using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Workspace;

public sealed class WorkspaceDocumentsTests
{
    [Fact]
    public async Task Inventory_round_trips_and_reports_the_sha256_of_the_bytes_on_disk()
    {
        using var ws = new TempWorkspace();
        var inventory = new Inventory
        {
            GeneratedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Source = new SourceInfo("snapshot", "snapshot x.yaml"),
            Items =
            [
                new InventoryItem
                {
                    Namespace = "ns1", Name = "a", Mode = "Serverless", ModeSource = "annotation", Eligible = true, Selected = true,
                    Reasons = ["selected"], Facts = new IsvcFacts { Runtime = "rt", RuntimeSharedWith = ["b"], Auth = true },
                },
            ],
        };

        var written = await WorkspaceDocuments.WriteAsync(ws.Layout.Inventory, inventory, InventoryJsonContext.Default.Inventory, TestContext.Current.CancellationToken);
        var (read, consumed) = await WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(written, consumed.Sha256);
        Assert.Equal(await Hashing.Sha256FileAsync(ws.Layout.Inventory, TestContext.Current.CancellationToken), consumed.Sha256);
        Assert.Equal("inventory.json", consumed.Path);
        Assert.Equal(inventory.GeneratedAt, read.GeneratedAt);
        var item = Assert.Single(read.Items);
        Assert.Equal(("ns1", "a", "Serverless", true), (item.Namespace, item.Name, item.Mode, item.Selected));
        Assert.Equal(["b"], item.Facts.RuntimeSharedWith);
        Assert.True(item.Facts.Auth);
    }

    [Fact]
    public async Task Documents_are_written_with_kind_schema_version_and_camel_case_names()
    {
        using var ws = new TempWorkspace();
        await WorkspaceDocuments.WriteAsync(ws.Layout.Plan, new Plan { Items = [new PlanItem { Namespace = "n", Name = "x", Strategy = "in-place" }] }, PlanJsonContext.Default.Plan, TestContext.Current.CancellationToken);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(ws.Layout.Plan, TestContext.Current.CancellationToken))!;
        Assert.Equal("Plan", json["kind"]!.GetValue<string>());
        Assert.Equal(Plan.CurrentSchemaVersion, json["schemaVersion"]!.GetValue<int>());
        Assert.Equal("in-place", json["items"]![0]!["strategy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_newer_schema_version_is_refused_with_the_file_and_field_named()
    {
        using var ws = new TempWorkspace();
        await File.WriteAllTextAsync(ws.Layout.Inventory, """{"kind":"Inventory","schemaVersion":99,"items":[]}""", TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.Contains("inventory.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("schemaVersion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_of_another_kind_is_refused()
    {
        using var ws = new TempWorkspace();
        await WorkspaceDocuments.WriteAsync(ws.Layout.Inventory, new Plan(), PlanJsonContext.Default.Plan, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.Contains("'kind' is 'Plan'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_document_says_which_stage_to_run()
    {
        using var ws = new TempWorkspace();
        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadPlanAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.Contains("plan.json not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_is_a_usage_error_naming_the_file()
    {
        using var ws = new TempWorkspace();
        await File.WriteAllTextAsync(ws.Layout.Export, "{ not json", TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadExportAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.StartsWith("export.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"kind\": \"ExportReport\", \"schemaVersion\": 1, \"items\": [1, 2,]}")]
    [InlineData("{\"kind\": \"ExportReport\", \"schemaVersion\": 1} trailing")]
    [InlineData("")]
    public async Task Json_broken_after_the_header_is_still_reported_as_not_valid_json(string text)
    {
        using var ws = new TempWorkspace();
        await File.WriteAllTextAsync(ws.Layout.Export, text, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadExportAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.Contains("export.json: not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_that_is_not_an_object_is_refused_by_kind()
    {
        using var ws = new TempWorkspace();
        await File.WriteAllTextAsync(ws.Layout.Export, "[{\"kind\": \"ExportReport\"}]", TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadExportAsync(ws.Layout, TestContext.Current.CancellationToken));
        Assert.Contains("field 'kind'", ex.Message, StringComparison.Ordinal);
    }
}
