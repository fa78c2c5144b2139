using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Workspace;

/// <summary>Every workspace document type: written with its kind and schema version, read back unchanged, a newer version refused.</summary>
public sealed class DocumentContractTests
{
    public static TheoryData<string> Documents() =>
        ["Inventory", "ExportReport", "Plan", "Ledger", "Validation", "CleanupReport", "FinalizeReport", "Approvals"];

    [Theory]
    [MemberData(nameof(Documents))]
    public Task Round_trips_with_kind_and_schema_version(string kind) => kind switch
    {
        "Inventory" => RoundTripAsync(new Inventory(), InventoryJsonContext.Default.Inventory, Inventory.DocumentKind, Inventory.CurrentSchemaVersion),
        "ExportReport" => RoundTripAsync(new ExportReport(), ExportReportJsonContext.Default.ExportReport, ExportReport.DocumentKind, ExportReport.CurrentSchemaVersion),
        "Plan" => RoundTripAsync(new Plan(), PlanJsonContext.Default.Plan, Plan.DocumentKind, Plan.CurrentSchemaVersion),
        "Ledger" => RoundTripAsync(new Ledger(), LedgerJsonContext.Default.Ledger, Ledger.DocumentKind, Ledger.CurrentSchemaVersion),
        "Validation" => RoundTripAsync(new Validation(), ValidationJsonContext.Default.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion),
        "CleanupReport" => RoundTripAsync(new CleanupReport(), CleanupReportJsonContext.Default.CleanupReport, CleanupReport.DocumentKind, CleanupReport.CurrentSchemaVersion),
        "FinalizeReport" => RoundTripAsync(new FinalizeReport(), FinalizeReportJsonContext.Default.FinalizeReport, FinalizeReport.DocumentKind, FinalizeReport.CurrentSchemaVersion),
        "Approvals" => RoundTripAsync(new Approvals(), ApprovalsJsonContext.Default.Approvals, Approvals.DocumentKind, Approvals.CurrentSchemaVersion),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async Task RoundTripAsync<T>(T document, JsonTypeInfo<T> typeInfo, string kind, int version)
        where T : IWorkspaceDocument
    {
        using var ws = new TempWorkspace();
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(ws.Path, kind + ".json");
        var sha = await WorkspaceDocuments.WriteAsync(path, document, typeInfo, ct);
        var written = await File.ReadAllTextAsync(path, ct);
        var json = JsonNode.Parse(written)!;
        Assert.Equal(kind, json["kind"]!.GetValue<string>());
        Assert.Equal(version, json["schemaVersion"]!.GetValue<int>());

        var (read, consumed) = await WorkspaceDocuments.ReadAsync(ws.Layout, path, kind, version, typeInfo, ct);
        Assert.Equal(sha, consumed.Sha256);
        await WorkspaceDocuments.WriteAsync(path, read, typeInfo, ct);
        Assert.Equal(written, await File.ReadAllTextAsync(path, ct));

        json["schemaVersion"] = version + 98;
        await File.WriteAllTextAsync(path, json.ToJsonString(), ct);
        var ex = await Assert.ThrowsAsync<UsageException>(() => WorkspaceDocuments.ReadAsync(ws.Layout, path, kind, version, typeInfo, ct));
        Assert.Contains($"{kind}.json: field 'schemaVersion' is {version + 98}", ex.Message, StringComparison.Ordinal);
    }
}
