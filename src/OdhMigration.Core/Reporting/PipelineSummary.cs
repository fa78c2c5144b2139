using System.Text;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The closing summary of one pipeline run: each task's status and the sha256 of every workspace document, so a
/// reviewer can tie what was approved to what ran; validation's own summary follows when there is one.
/// </summary>
public static class PipelineSummary
{
    public const string FileName = "pipeline-summary.md";

    /// <summary>The documents the stages write, in stage order.</summary>
    public static readonly string[] Documents = ["inventory.json", "export.json", "plan.json", "ledger.json", "validation.json", "cleanup.json", "finalize.json"];

    public static async Task<string> BuildAsync(WorkspaceLayout layout, string title, string pipelineStatus, IReadOnlyList<(string Task, string Status)> tasks, CancellationToken ct)
    {
        var text = new StringBuilder();
        text.Append("# Migration run: ").Append(Cell(title)).Append("\n\nPipeline status: **").Append(Cell(pipelineStatus)).Append("**\n\n| task | status |\n|---|---|\n");
        foreach (var (task, status) in tasks)
        {
            text.Append("| ").Append(Cell(task)).Append(" | ").Append(Cell(status)).Append(" |\n");
        }

        text.Append("\n| document | sha256 |\n|---|---|\n");
        foreach (var document in Documents)
        {
            var path = Path.Combine(layout.Root, document);
            if (File.Exists(path))
            {
                text.Append("| ").Append(document).Append(" | ").Append(await Hashing.Sha256FileAsync(path, ct).ConfigureAwait(false)).Append(" |\n");
            }
        }

        var validation = Path.Combine(layout.Root, "validation-summary.md");
        if (File.Exists(validation))
        {
            text.Append('\n').Append(await File.ReadAllTextAsync(validation, ct).ConfigureAwait(false));
        }

        return SecretRedaction.Text(text.ToString());
    }

    /// <summary>Values come from pipeline params: keep them inside their table cell and line.</summary>
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
