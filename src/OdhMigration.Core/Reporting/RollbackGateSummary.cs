using System.Text.Json;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The rollback gate's compact text (a Tekton result in the ApprovalTask's description, a GitHub job summary): one
/// line per InferenceService with what rolling it back deletes, recreates and restores, cut like
/// <see cref="GateSummary"/> to fit Tekton's result size limit. Made from rollback-plan.json as the stage wrote it,
/// so the gate shows the very plan whose sha256 it approves.
/// </summary>
public static class RollbackGateSummary
{
    public const string Result = "rollback-summary";

    public static string For(RollbackPlan plan)
    {
        var refused = plan.Items.Count(i => i.Refusal is not null);
        var header = $"{plan.Items.Count - refused} to roll back, {refused} refused";
        if (plan.Cluster.Count > 0)
        {
            // A refused restore is named as such: the approver must not read "restores" for a step that will not run.
            header += $"; restores {string.Join(", ", plan.Cluster.Select(s => s.Refusal is null ? $"{s.Kind} {s.Name}" : $"{s.Kind} {s.Name} (REFUSED: {s.Refusal})"))} from dsc-finalize's backup";
        }

        return GateSummary.Fit(header, [.. plan.Items.Select(Line)], $"see {WorkspaceLayout.RollbackPlanSummaryFile} or {WorkspaceLayout.RollbackPlanFile}");
    }

    /// <summary>The summary of the rollback-plan.json in the workspace, or null when there is none (the stage stopped before writing it).</summary>
    public static async Task<string?> ReadAsync(WorkspaceLayout layout, CancellationToken ct)
    {
        if (!File.Exists(layout.RollbackPlan))
        {
            return null;
        }

        await using var stream = File.OpenRead(layout.RollbackPlan);
        var plan = await JsonSerializer.DeserializeAsync(stream, RollbackPlanJsonContext.Default.RollbackPlan, ct).ConfigureAwait(false);
        return plan is null ? null : For(plan);
    }

    private static string Line(RollbackPlanItem item)
    {
        var name = $"{item.Namespace}/{item.Name}";
        if (item.Refusal is not null)
        {
            return $"- {name}: REFUSED: {item.Refusal}";
        }

        var parts = new List<string>();
        void Add(string action, string label, Func<RollbackStep, string> describe)
        {
            var steps = item.Steps.Where(s => s.Action == action).ToList();
            if (steps.Count > 0)
            {
                parts.Add($"{label} {steps.Count}: {string.Join(", ", steps.Select(describe))}");
            }
        }

        Add(RollbackActions.DeleteReplacement, "DELETES", s => $"{s.Kind} {Where(s, item)}{s.Name}");
        Add(RollbackActions.RecreateOriginal, "recreates", s => $"{s.Kind} {Where(s, item)}{s.Name}");
        Add(RollbackActions.RestoreLabel, "restores label", s => $"{s.LabelKey}={s.LabelValue ?? "(removed)"} on {s.Kind} {s.Name}");
        Add(RollbackActions.ResumeOriginal, "resumes", s => s.Refusal is null
            ? $"{s.Kind} {s.Name} ({s.AnnotationKey} {(s.AnnotationValue is null ? "removed" : "back to " + s.AnnotationValue)})"
            : $"REFUSED {s.Kind} {s.Name}: {s.Refusal}");
        return $"- {name} ({item.Strategy}, back to {item.SourceMode}): {(parts.Count == 0 ? "nothing to undo" : string.Join("; ", parts))}";
    }

    /// <summary>The namespace only where it is not the item's own (the new-namespace target, istio-system).</summary>
    private static string Where(RollbackStep step, RollbackPlanItem item) =>
        step.Namespace is { } ns && ns != item.Namespace ? ns + "/" : "";
}
