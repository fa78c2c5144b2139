using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The compact text an approver reads in the gate itself (the ApprovalTask's description, a GitHub job summary):
/// one line per InferenceService with what will happen to it. It travels as a Tekton result, and Tekton's default
/// (results from the termination message) gives all the results of one TaskRun 4096 bytes together, JSON-encoded.
/// So the text is cut deliberately at <see cref="MaxEncodedBytes"/>, whole lines only, with a last line saying
/// how many InferenceServices are left out and where the full report is.
/// </summary>
public static class GateSummary
{
    public const string PlanResult = "plan-summary";
    public const string ValidationResult = "validation-summary";

    /// <summary>Bytes of the JSON-encoded text; leaves the Task's other results (a sha256, counts) room under 4096.</summary>
    public const int MaxEncodedBytes = 3000;

    private const int MaxLineChars = 400;

    public static string ForPlan(Plan plan)
    {
        var ok = plan.Items.Count(i => i.Status == ItemStatuses.Ok);
        var header = $"{ok} planned, {plan.Items.Count - ok} refused";
        if (WaveReport.GateLine(plan) is { } waves)
        {
            header += "\n" + waves;
        }

        var lines = plan.Items.Select(PlanLine).ToList();
        return Fit(header, lines, "see report.md (odh-migrate report) or plan.json");
    }

    public static string ForValidation(Validation validation)
    {
        var header = $"{validation.Passed} passed, {validation.Failed} failed; cleanup deletes the originals of passed ones only";
        var lines = validation.Items.Select(ValidationLine).ToList();
        return Fit(header, lines, "see validation-summary.md or validation.json");
    }

    private static string PlanLine(PlanItem item)
    {
        var name = item.Wave is { } wave ? $"[wave {wave}] {item.Namespace}/{item.Name}" : $"{item.Namespace}/{item.Name}";
        if (item.Status != ItemStatuses.Ok)
        {
            return $"- {name}: REFUSED: {item.Error}";
        }

        var b = new StringBuilder($"- {name}: {item.Strategy} ({item.SourceMode} -> RawDeployment as {item.TargetNamespace}/{item.TargetName})");
        b.Append($"; creates {item.Create.Count}: {string.Join(", ", item.Create.Select(c => $"{c.Kind} {c.Name}"))}");
        if (item.DeleteBeforeApply.Count > 0)
        {
            b.Append($"; DELETES BEFORE APPLY {item.DeleteBeforeApply.Count}: {string.Join(", ", item.DeleteBeforeApply.Select(d => $"{d.Kind} {d.Name}"))}");
        }

        b.Append($"; deletes on cleanup {item.DeleteOnCleanup.Count}");
        if (item.DeleteOnCleanup.Count > 0)
        {
            b.Append($": {string.Join(", ", item.DeleteOnCleanup.Select(d => $"{d.Kind} {d.Name}"))}");
        }

        if (item.Warnings.Count > 0)
        {
            b.Append($"; {item.Warnings.Count} warning(s): {string.Join(" | ", item.Warnings)}");
        }

        return b.ToString();
    }

    private static string ValidationLine(ValidatedItem item)
    {
        var verdict = item.Passed ? "passed" : $"FAILED ({item.Reason}): {item.Message}";
        return $"- {item.Namespace}/{item.Name} -> {item.TargetNamespace}/{item.TargetName}: {verdict}";
    }

    /// <summary>Header, then whole lines while they fit, then "... N more, see ..." when some did not.</summary>
    internal static string Fit(string header, IReadOnlyList<string> lines, string whereToLook)
    {
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < lines.Count; i++)
        {
            // Warnings, errors and validation messages can quote a storageUri: masked before cutting, so no cut half-secret shows.
            var line = Shorten(SecretRedaction.Text(lines[i])) + "\n";
            var tail = $"... {lines.Count - i - 1} more, {whereToLook}\n";
            var reserve = i == lines.Count - 1 ? "" : tail;
            if (EncodedBytes(text + line + reserve) > MaxEncodedBytes)
            {
                text.Append($"... {lines.Count - i} more, {whereToLook}\n");
                return text.ToString();
            }

            text.Append(line);
        }

        return text.ToString();
    }

    private static string Shorten(string line) => line.Length <= MaxLineChars ? line : line[..(MaxLineChars - 3)] + "...";

    /// <summary>Size as Tekton stores it: a JSON string in the termination message.</summary>
    public static int EncodedBytes(string text) => Encoding.UTF8.GetByteCount(JsonValue.Create(text).ToJsonString());
}
