using System.Text.Json.Nodes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Reporting;

/// <summary>Everything a human report shows, gathered from one workspace. Only inventory.json is required.</summary>
public sealed record ReportModel
{
    public string Workspace { get; init; } = "";
    public DateTimeOffset GeneratedAt { get; init; }
    public Inventory Inventory { get; init; } = new();
    public ExportReport? Export { get; init; }
    public Plan? Plan { get; init; }
    public ValidationSummary? Validation { get; init; }
    public List<IsvcReport> Isvcs { get; init; } = [];

    /// <summary>rollback.json (what rollback did or, on a dry run, would do) and rollback-plan.json, when rollback ran.</summary>
    public RollbackReport? Rollback { get; init; }
    public RollbackPlan? RollbackPlan { get; init; }
    public List<string> Notes { get; init; } = [];
}

/// <summary>One InferenceService: its inventory entry, its plan item (if transform ran) and the before/after diff.</summary>
public sealed record IsvcReport
{
    public InventoryItem Item { get; init; } = new();
    public PlanItem? Plan { get; init; }

    /// <summary>Unified diff of original/ vs the plan's apply folder; null when either file is missing.</summary>
    public string? Diff { get; init; }
    public string? DiffNote { get; init; }
    public ValidationResult? Validation { get; init; }
}

/// <summary>The parts of validation.json a report shows (read tolerantly: fields may be absent).</summary>
public sealed record ValidationSummary(int Passed, int Failed, List<ValidationResult> Items);

public sealed record ValidationResult(string Namespace, string Name, bool Passed, string Reason, string Message, string? NewUrl, List<string> Remedies)
{
    public static ValidationResult FromJson(JsonNode node)
    {
        var remedies = node["remedies"] is JsonArray array ? array.Select(r => r?.ToString() ?? "").Where(r => r.Length > 0).ToList() : [];
        return new ValidationResult(
            Text(node, "namespace") ?? "",
            Text(node, "name") ?? "",
            node["passed"] is JsonValue v && v.TryGetValue<bool>(out var passed) && passed,
            Text(node, "reason") ?? "",
            Text(node, "message") ?? "",
            Text(node, "url") ?? Text(node["endpoint"], "newUrl"),
            remedies);
    }

    private static string? Text(JsonNode? node, string key) =>
        node?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
