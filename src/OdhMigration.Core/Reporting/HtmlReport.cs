using System.Net;
using System.Text;

namespace OdhMigration.Core.Reporting;

/// <summary>report.html: one standalone page (inline CSS, no scripts, no external assets); every text is HTML-escaped.</summary>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328;line-height:1.45}
        h1{border-bottom:2px solid #d0d7de;padding-bottom:.3rem}h2{border-bottom:1px solid #d0d7de;margin-top:2.2rem}h3{margin-top:2rem;background:#f6f8fa;padding:.3rem .5rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
        pre.diff{background:#f6f8fa;padding:.6rem;overflow-x:auto;font-size:.85rem;border:1px solid #d0d7de}
        .add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}.hunk{color:#6639ba;display:block}.file{color:#57606a;display:block}
        """;

    public static string Render(ReportModel model)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<title>").Append(E(ReportContent.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        foreach (var block in ReportContent.Build(model))
        {
            switch (block)
            {
                case HeadingBlock h:
                    html.Append("<h").Append(h.Level);
                    if (h.Anchor is { } anchor)
                    {
                        html.Append(" id=\"").Append(E(anchor)).Append('"');
                    }

                    html.Append('>').Append(E(h.Text)).Append("</h").Append(h.Level).Append(">\n");
                    break;
                case ParagraphBlock p:
                    html.Append("<p>").Append(E(p.Text)).Append("</p>\n");
                    break;
                case ListBlock l:
                    html.Append("<ul>\n");
                    foreach (var item in l.Items)
                    {
                        html.Append("<li>").Append(E(item)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;
                case TableBlock t:
                    html.Append("<table>\n<tr>");
                    foreach (var header in t.Headers)
                    {
                        html.Append("<th>").Append(E(header)).Append("</th>");
                    }

                    html.Append("</tr>\n");
                    foreach (var row in t.Rows)
                    {
                        html.Append("<tr>");
                        foreach (var cell in row)
                        {
                            html.Append("<td>").Append(E(cell)).Append("</td>");
                        }

                        html.Append("</tr>\n");
                    }

                    html.Append("</table>\n");
                    break;
                case DiffBlock d:
                    html.Append("<pre class=\"diff\">");
                    foreach (var line in LineDiff.SplitLines(d.Text))
                    {
                        var css = line switch
                        {
                            _ when line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) => "file",
                            _ when line.StartsWith("@@", StringComparison.Ordinal) => "hunk",
                            _ when line.StartsWith('+') => "add",
                            _ when line.StartsWith('-') => "del",
                            _ => null,
                        };
                        html.Append(css is null ? "" : $"<span class=\"{css}\">").Append(E(line)).Append(css is null ? "\n" : "</span>");
                    }

                    html.Append("</pre>\n");
                    break;
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
