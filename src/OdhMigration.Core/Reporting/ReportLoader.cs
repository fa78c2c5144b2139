using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// Reads a workspace into a <see cref="ReportModel"/>. Secrets are never opened: the diff covers the
/// InferenceService manifest only, and every other object is shown by kind and name.
/// </summary>
public static class ReportLoader
{
    public static async Task<ReportModel> LoadAsync(WorkspaceLayout layout, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var (inventory, _) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        ExportReport? export = null;
        if (File.Exists(layout.Export))
        {
            (export, _) = await WorkspaceDocuments.ReadExportAsync(layout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            notes.Add("export.json not found: export has not run, so there are no originals to compare");
        }

        Plan? plan = null;
        if (File.Exists(layout.Plan))
        {
            (plan, _) = await WorkspaceDocuments.ReadPlanAsync(layout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            notes.Add("plan.json not found: transform has not run, so nothing is planned yet");
        }

        var validation = await ReadValidationAsync(layout, notes, cancellationToken).ConfigureAwait(false);
        var rollbackPlan = await ReadOptionalAsync(layout, layout.RollbackPlan, RollbackPlan.DocumentKind, RollbackPlan.CurrentSchemaVersion, RollbackPlanJsonContext.Default.RollbackPlan, notes, cancellationToken).ConfigureAwait(false);
        var rollback = await ReadOptionalAsync(layout, layout.Rollback, RollbackReport.DocumentKind, RollbackReport.CurrentSchemaVersion, RollbackReportJsonContext.Default.RollbackReport, notes, cancellationToken).ConfigureAwait(false);
        var isvcs = new List<IsvcReport>();
        foreach (var item in inventory.Items)
        {
            var planItem = plan?.Items.FirstOrDefault(p => p.Namespace == item.Namespace && p.Name == item.Name);
            var (diff, diffNote) = planItem is null ? (null, null) : await DiffAsync(layout, export, planItem, cancellationToken).ConfigureAwait(false);
            isvcs.Add(new IsvcReport
            {
                Item = item,
                Plan = planItem,
                Diff = diff,
                DiffNote = diffNote,
                Validation = validation?.Items.FirstOrDefault(v => v.Namespace == item.Namespace && v.Name == item.Name),
            });
        }

        return new ReportModel
        {
            Workspace = layout.Root,
            GeneratedAt = (clock ?? TimeProvider.System).GetUtcNow(),
            Inventory = inventory,
            Export = export,
            Plan = plan,
            Validation = validation,
            Isvcs = isvcs,
            Rollback = rollback,
            RollbackPlan = rollbackPlan,
            Notes = notes,
        };
    }

    /// <summary>A document the report shows when present; one that cannot be read becomes a note, not a failed report.</summary>
    private static async Task<T?> ReadOptionalAsync<T>(WorkspaceLayout layout, string path, string kind, int version, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, List<string> notes, CancellationToken cancellationToken)
        where T : class, IWorkspaceDocument
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return (await WorkspaceDocuments.ReadAsync(layout, path, kind, version, typeInfo, cancellationToken).ConfigureAwait(false)).Document;
        }
        catch (UsageException ex)
        {
            notes.Add($"{ex.Message}; not shown");
            return null;
        }
    }

    /// <summary>validation.json as a JsonNode, so the report does not depend on the validate stage's types; absent is fine.</summary>
    private static async Task<ValidationSummary?> ReadValidationAsync(WorkspaceLayout layout, List<string> notes, CancellationToken cancellationToken)
    {
        if (!File.Exists(layout.Validation))
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(await File.ReadAllBytesAsync(layout.Validation, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException ex)
        {
            notes.Add($"validation.json is not valid JSON ({ex.Message}); validation results are not shown");
            return null;
        }

        if (node?["kind"]?.ToString() != "Validation")
        {
            notes.Add("validation.json: field 'kind' is not 'Validation'; validation results are not shown");
            return null;
        }

        var items = node["items"] is JsonArray array ? array.Where(i => i is not null).Select(i => ValidationResult.FromJson(i!)).ToList() : [];
        return new ValidationSummary(items.Count(i => i.Passed), items.Count(i => !i.Passed), items);
    }

    private static async Task<(string? Diff, string? Note)> DiffAsync(WorkspaceLayout layout, ExportReport? export, PlanItem item, CancellationToken cancellationToken)
    {
        var original = export?.Items.FirstOrDefault(e => e.Namespace == item.Namespace && e.Name == item.Name)?
            .Files.FirstOrDefault(f => f.Kind == "InferenceService" && f.Name == item.Name)?.Path;
        var applyDir = item.ApplyDir.TrimEnd('/') + "/";
        var applied = item.Files.FirstOrDefault(f => f.Kind == "InferenceService" && f.Path.StartsWith(applyDir, StringComparison.Ordinal))?.Path;
        if (original is null || applied is null)
        {
            return (null, item.Status == ItemStatuses.Ok ? "no original or no transformed InferenceService file recorded; nothing to compare" : null);
        }

        var originalPath = layout.Absolute(original);
        var appliedPath = layout.Absolute(applied);
        if (!File.Exists(originalPath) || !File.Exists(appliedPath))
        {
            return (null, $"{(File.Exists(originalPath) ? applied : original)} is missing from the workspace; nothing to compare");
        }

        var before = Shown(await File.ReadAllTextAsync(originalPath, cancellationToken).ConfigureAwait(false), original);
        var after = Shown(await File.ReadAllTextAsync(appliedPath, cancellationToken).ConfigureAwait(false), applied);
        if (before is null || after is null)
        {
            return (null, $"{(before is null ? original : applied)} does not parse as one YAML object; nothing to compare");
        }

        var diff = LineDiff.Unified(before, after, original, applied);
        return (diff, diff.Length == 0 ? "the transformed InferenceService is identical to the original" : null);
    }

    /// <summary>
    /// The manifest as the report shows it: env values and URL credentials masked (<see cref="SecretRedaction"/>),
    /// re-serialised the way stages write files, so unchanged lines still diff as unchanged. Null when it does not parse.
    /// </summary>
    private static string? Shown(string yaml, string relativePath)
    {
        try
        {
            return Yaml.ParseSingle(yaml, relativePath) is JsonObject obj ? Yaml.Serialize((JsonObject)SecretRedaction.Manifest(obj)!) : null;
        }
        catch (ManifestFormatException)
        {
            return null;
        }
    }

    /// <summary>Where the reports go: --out when given, else the workspace root.</summary>
    public static async Task<(string Markdown, string Html)> WriteAsync(ReportModel model, string directory, CancellationToken cancellationToken = default)
    {
        var markdown = Path.Combine(directory, "report.md");
        var html = Path.Combine(directory, "report.html");
        await WorkspaceDocuments.WriteTextAtomicAsync(markdown, MarkdownReport.Render(model), null, cancellationToken).ConfigureAwait(false);
        await WorkspaceDocuments.WriteTextAtomicAsync(html, HtmlReport.Render(model), null, cancellationToken).ConfigureAwait(false);
        return (markdown, html);
    }
}
