using System.Globalization;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The report's "Rollback" section, from rollback.json (what a rollback did, or would do on a dry run) and
/// rollback-plan.json (what it was asked to do). "Originals resumed" are originals apply stopped and cleanup kept, whose
/// serving.kserve.io/stop rollback put back as exported. Objects are named by kind and name only: a recreated token Secret is
/// listed, never its data.
/// </summary>
public static class RollbackReportSection
{
    public static void Add(RollbackReport? outcome, RollbackPlan? plan, List<ReportBlock> blocks)
    {
        if (outcome is null && plan is null)
        {
            return;
        }

        blocks.Add(new HeadingBlock(2, "Rollback", "rollback"));
        if (outcome is null)
        {
            // A plan without an outcome: rollback wrote its plan and stopped (gate not approved) or was killed first.
            blocks.Add(new ParagraphBlock($"rollback-plan.json lists {Count(plan!.Items.Count)} item(s); rollback.json not found: nothing has been rolled back yet."));
            Planned(plan, blocks);
            return;
        }

        var statuses = outcome.Items.GroupBy(i => i.Status, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{Count(g.Count())} {g.Key}");
        var what = outcome.DryRun ? "Dry run (server-side, nothing changed)" : "Done";
        blocks.Add(new ParagraphBlock($"{what} {Stamp(outcome.GeneratedAt)} for rollback-plan.json sha256 {outcome.PlanSha256}: {(outcome.Items.Count == 0 ? "no item" : string.Join(", ", statuses))}."));
        if (outcome.Items.Count > 0)
        {
            var rows = outcome.Items.Select(i => (IReadOnlyList<string>)
            [
                $"{i.Namespace}/{i.Name}",
                i.Status,
                Objects(i.Steps, RollbackActions.RecreateOriginal, outcome.DryRun),
                Objects(i.Steps, RollbackActions.DeleteReplacement, outcome.DryRun),
                Objects(i.Steps, RollbackActions.RestoreLabel, outcome.DryRun),
                Objects(i.Steps, RollbackActions.ResumeOriginal, outcome.DryRun),
                Problems(i),
            ]).ToList();
            blocks.Add(new TableBlock(["InferenceService", "Status", "Originals recreated", "Replacements deleted", "Labels restored", "Originals resumed", "Refused, left or failed"], rows));
        }

        var refused = outcome.Items.Where(i => i.Status == RollbackOutcomes.Refused).ToList();
        if (refused.Count > 0)
        {
            blocks.Add(new HeadingBlock(3, "Refused"));
            blocks.Add(new ListBlock(refused.Select(i => $"{i.Namespace}/{i.Name}: {i.Reason ?? "no reason recorded"}").ToList()));
        }

        blocks.Add(new HeadingBlock(3, "DataScienceCluster / DSCInitialization"));
        blocks.Add(outcome.Cluster.Count == 0
            ? new ParagraphBlock(plan?.Cluster.Count > 0 ? "Planned restores were not reached (see the items above)." : "Not part of this rollback: dsc-finalize had not changed them.")
            : new ListBlock(outcome.Cluster.Select(s => $"{s.Kind} {s.Name}: {Outcome(s.Outcome, outcome.DryRun)}{(s.Reason is { Length: > 0 } r ? " (" + r + ")" : "")}").ToList()));
    }

    /// <summary>rollback-plan.json alone: per item its refusal or the number of steps, and the cluster restores planned.</summary>
    private static void Planned(RollbackPlan plan, List<ReportBlock> blocks)
    {
        if (plan.Items.Count > 0)
        {
            blocks.Add(new ListBlock(plan.Items.Select(i => i.Refusal is { } refusal
                ? $"{i.Namespace}/{i.Name}: refused: {refusal}"
                : $"{i.Namespace}/{i.Name}: {Count(i.Steps.Count)} step(s) planned ({Summary(i.Steps)})").ToList()));
        }

        if (plan.Cluster.Count > 0)
        {
            blocks.Add(new ParagraphBlock("Cluster restores planned: " + string.Join(", ", plan.Cluster.Select(s => $"{s.Kind} {s.Name}"))));
        }
    }

    private static string Summary(List<RollbackStep> steps) =>
        string.Join(", ", steps.GroupBy(s => s.Action, StringComparer.Ordinal).Select(g => $"{g.Key} {Count(g.Count())}"));

    /// <summary>The objects of one action whose step was done (or, on a dry run, would be): "Kind ns/name".</summary>
    private static string Objects(List<RollbackStepOutcome> steps, string action, bool dryRun)
    {
        var shown = steps.Where(s => s.Action == action && Succeeded(s.Outcome)).Select(s => $"{s.Kind} {Name(s)}{Suffix(s.Outcome, dryRun)}").ToList();
        return shown.Count == 0 ? "-" : string.Join(", ", shown);
    }

    /// <summary>The item's refusal, and each step that was left alone or failed, with its reason.</summary>
    private static string Problems(RollbackItemOutcome item)
    {
        var problems = new List<string>();
        if (item.Status == RollbackOutcomes.Refused)
        {
            problems.Add("refused: " + (item.Reason ?? "no reason recorded"));
        }

        problems.AddRange(item.Steps
            .Where(s => s.Outcome is RollbackOutcomes.Left or RollbackOutcomes.Failed)
            .Select(s => $"{s.Action} {s.Kind} {Name(s)} {s.Outcome}{(s.Reason is { Length: > 0 } r ? ": " + r : "")}"));
        return problems.Count == 0 ? "-" : string.Join("; ", problems);
    }

    private static bool Succeeded(string outcome) => outcome is RollbackOutcomes.Done or RollbackOutcomes.AlreadyDone or RollbackOutcomes.Planned;

    private static string Suffix(string outcome, bool dryRun) => outcome switch
    {
        RollbackOutcomes.AlreadyDone => " (already done)",
        RollbackOutcomes.Planned when dryRun => " (dry run)",
        RollbackOutcomes.Planned => " (planned)",
        _ => "",
    };

    private static string Outcome(string outcome, bool dryRun) => outcome switch
    {
        RollbackOutcomes.Done => "restored",
        RollbackOutcomes.AlreadyDone => "already restored",
        RollbackOutcomes.Planned => dryRun ? "would be restored (dry run)" : "planned, not reached",
        _ => outcome,
    };

    private static string Name(RollbackStepOutcome step) => step.Namespace is null ? step.Name : $"{step.Namespace}/{step.Name}";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
