using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// What earlier per-wave runs left in the workspace for this plan: validate and cleanup run once per wave and merge
/// their results into one validation.json / cleanup.json, so a run of wave K keeps the other waves' entries. A
/// document written for another plan (its consumed plan.json sha256 differs) counts as absent.
/// </summary>
public static class WaveProgress
{
    /// <summary>The previous validation.json of this plan, or null.</summary>
    public static Task<Validation?> PreviousValidationAsync(WorkspaceLayout layout, ConsumedDocument plan, CancellationToken ct) =>
        PreviousAsync(layout, layout.Validation, plan, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, v => v.Consumed, ct);

    /// <summary>The previous cleanup report (cleanup.json, or its dry-run twin) of this plan, or null.</summary>
    public static Task<CleanupReport?> PreviousCleanupAsync(WorkspaceLayout layout, string path, ConsumedDocument plan, CancellationToken ct) =>
        PreviousAsync(layout, path, plan, CleanupReport.DocumentKind, CleanupReport.CurrentSchemaVersion, CleanupReportJsonContext.Default.CleanupReport, c => c.Consumed, ct);

    /// <summary>Items of this plan that a real (not dry-run) cleanup recorded as cleaned.</summary>
    public static async Task<HashSet<(string Namespace, string Name)>> CleanedItemsAsync(WorkspaceLayout layout, ConsumedDocument plan, CancellationToken ct)
    {
        var report = await PreviousCleanupAsync(layout, layout.Cleanup, plan, ct).ConfigureAwait(false);
        return report is null || report.DryRun
            ? []
            : report.Items.Where(i => i.Status == ItemStatuses.Cleaned).Select(i => (i.Namespace, i.Name)).ToHashSet();
    }

    /// <summary>Each plan item's position, so merged per-wave documents list items in plan order within a wave.</summary>
    public static Dictionary<(string Namespace, string Name), int> PlanOrder(Plan plan)
    {
        var order = new Dictionary<(string, string), int>();
        for (var i = 0; i < plan.Items.Count; i++)
        {
            order.TryAdd((plan.Items[i].Namespace, plan.Items[i].Name), i);
        }

        return order;
    }

    private static async Task<T?> PreviousAsync<T>(WorkspaceLayout layout, string path, ConsumedDocument plan, string kind, int version, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, Func<T, List<ConsumedDocument>> consumed, CancellationToken ct)
        where T : class, IWorkspaceDocument
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var (document, _) = await WorkspaceDocuments.ReadAsync(layout, path, kind, version, typeInfo, ct).ConfigureAwait(false);
        return consumed(document).Any(c => c.Path == plan.Path && string.Equals(c.Sha256, plan.Sha256, StringComparison.OrdinalIgnoreCase)) ? document : null;
    }
}
