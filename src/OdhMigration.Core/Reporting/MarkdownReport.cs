using System.Text;

namespace OdhMigration.Core.Reporting;

/// <summary>report.md: GitHub-flavoured Markdown. Text is escaped so nothing from a manifest renders as HTML or breaks a table.</summary>
public static class MarkdownReport
{
    public static string Render(ReportModel model)
    {
        var text = new StringBuilder();
        foreach (var block in ReportContent.Build(model))
        {
            switch (block)
            {
                case HeadingBlock h:
                    text.Append('#', h.Level).Append(' ').Append(Escape(h.Text)).Append("\n\n");
                    break;
                case ParagraphBlock p:
                    text.Append(Escape(p.Text)).Append("\n\n");
                    break;
                case ListBlock l:
                    foreach (var item in l.Items)
                    {
                        text.Append("- ").Append(Escape(item)).Append('\n');
                    }

                    text.Append('\n');
                    break;
                case TableBlock t:
                    text.Append("| ").AppendJoin(" | ", t.Headers.Select(Cell)).Append(" |\n");
                    text.Append('|').AppendJoin('|', t.Headers.Select(_ => " --- ")).Append("|\n");
                    foreach (var row in t.Rows)
                    {
                        text.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
                    }

                    text.Append('\n');
                    break;
                case DiffBlock d:
                    var fence = Fence(d.Text);
                    text.Append(fence).Append("diff\n").Append(d.Text.TrimEnd('\n')).Append('\n').Append(fence).Append("\n\n");
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Escapes what Markdown would interpret as HTML or emphasis in free text.</summary>
    public static string Escape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => result.Append("&amp;"),
                '<' => result.Append("&lt;"),
                '>' => result.Append("&gt;"),
                '\\' or '`' or '*' or '_' or '[' or ']' or '|' => result.Append('\\').Append(c),
                '\n' or '\r' => result.Append(' '),
                _ => result.Append(c),
            };
        }

        return result.ToString();
    }

    private static string Cell(string text) => Escape(text.Trim());

    /// <summary>A code fence longer than any backtick run in the content, so the content cannot close it.</summary>
    private static string Fence(string content)
    {
        int longest = 0, run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }
}
