using System.Text;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>The plain-text table printed at the end of a rehearsal or dry run: one row per InferenceService found.</summary>
public static class SummaryTable
{
    public static readonly string[] Headers = ["INFERENCESERVICE", "MODE", "STATUS", "STRATEGY", "TARGET"];

    public static string Render(Inventory inventory, Plan? plan)
    {
        var rows = inventory.Items.Select(item =>
        {
            var planned = plan?.Items.FirstOrDefault(p => p.Namespace == item.Namespace && p.Name == item.Name);
            var status = planned switch
            {
                { Status: ItemStatuses.Ok } => "planned",
                { } refused => "refused: " + refused.Error,
                null when !item.Eligible => "not eligible: " + string.Join("; ", item.Blockers.DefaultIfEmpty(item.Mode)),
                null when !item.Selected => "not selected",
                _ => "not planned",
            };
            return new[]
            {
                $"{item.Namespace}/{item.Name}",
                item.Mode,
                status,
                planned is { Status: ItemStatuses.Ok } ? planned.Strategy : "-",
                planned is { Status: ItemStatuses.Ok } ? $"{planned.TargetNamespace}/{planned.TargetName}" : "-",
            };
        }).ToList();
        return SecretRedaction.Text(Format(Headers, rows));
    }

    /// <summary>Left-aligned columns separated by two spaces (kubectl style); the last column is not padded.</summary>
    public static string Format(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(headers.ToArray()))
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
