using System.Text;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Reporting;

/// <summary>rollback-plan.md: what the approvers read before they approve rollback-plan.json's sha256.</summary>
public static class RollbackPlanMarkdown
{
    public static string Render(RollbackPlan plan, string sha256)
    {
        var text = new StringBuilder();
        text.Append("# Rollback plan\n\n");
        text.Append($"rollback-plan.json sha256: `{sha256}` (approve it with `--expect-rollback-sha256 {sha256}`)\n\n");
        if (plan.Items.Count == 0 && plan.Cluster.Count == 0)
        {
            text.Append("Nothing to roll back: apply's ledger records no change.\n");
        }

        foreach (var item in plan.Items)
        {
            text.Append($"## {item.Namespace}/{item.Name} ({item.SourceMode}, {item.Strategy} -> {item.TargetNamespace}/{item.TargetName})\n\n");
            if (item.Refusal is not null)
            {
                text.Append($"Refused: {SecretRedaction.Text(item.Refusal)}\n\n");
                continue;
            }

            AppendSteps(text, item.Steps);
        }

        if (plan.Cluster.Count > 0)
        {
            text.Append("## Cluster (after dsc-finalize)\n\n");
            AppendSteps(text, plan.Cluster);
        }

        return text.ToString();
    }

    private static void AppendSteps(StringBuilder text, List<RollbackStep> steps)
    {
        foreach (var step in steps)
        {
            var target = $"{step.Kind} {(step.Namespace is null ? "" : step.Namespace + "/")}{step.Name}";
            var detail = step.LabelKey is not null ? $" label {step.LabelKey} -> {step.LabelValue ?? "(removed)"}"
                : step.AnnotationKey is not null ? $" (uid {step.Uid}) annotation {step.AnnotationKey} -> {step.AnnotationValue ?? "(removed)"}"
                : step.Uid is not null ? $" (uid {step.Uid})"
                : step.BackupFile is not null ? $" from {step.BackupFile}" : "";
            text.Append($"{steps.IndexOf(step) + 1}. {step.Action} {target}{detail}: {SecretRedaction.Text(step.Reason)}\n");
            foreach (var field in step.Drift ?? [])
            {
                text.Append($"   - changed since dsc-finalize: {SecretRedaction.Text(field)}\n");
            }

            if (step.Refusal is not null)
            {
                text.Append($"   - Refused: {SecretRedaction.Text(step.Refusal)}\n");
            }
        }

        text.Append('\n');
    }
}
