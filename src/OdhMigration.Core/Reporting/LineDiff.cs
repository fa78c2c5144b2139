using System.Text;

namespace OdhMigration.Core.Reporting;

public enum DiffOp { Same, Removed, Added }

public readonly record struct DiffLine(DiffOp Op, string Text);

/// <summary>
/// A small in-process line diff (longest common subsequence) with unified-style output, so a report can show what
/// transform changed in a manifest without any external tool. Manifests are short; common head and tail lines are
/// trimmed first, and an input too large for the quadratic table is reported as such instead of being diffed.
/// </summary>
public static class LineDiff
{
    /// <summary>Largest middle section (old lines x new lines) diffed line by line.</summary>
    public const long MaxCells = 4_000_000;

    public static IReadOnlyList<string> SplitLines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>The edit script turning <paramref name="before"/> into <paramref name="after"/>; null when too large.</summary>
    public static IReadOnlyList<DiffLine>? Compute(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var head = 0;
        while (head < before.Count && head < after.Count && before[head] == after[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < before.Count - head && tail < after.Count - head && before[before.Count - 1 - tail] == after[after.Count - 1 - tail])
        {
            tail++;
        }

        var n = before.Count - head - tail;
        var m = after.Count - head - tail;
        if ((long)n * m > MaxCells)
        {
            return null;
        }

        var result = new List<DiffLine>(before.Count + after.Count);
        for (var i = 0; i < head; i++)
        {
            result.Add(new DiffLine(DiffOp.Same, before[i]));
        }

        // lcs[i, j] = length of the LCS of before[head+i..] and after[head+j..] (middle part only).
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = before[head + i] == after[head + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && before[head + x] == after[head + y])
            {
                result.Add(new DiffLine(DiffOp.Same, before[head + x]));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] > lcs[x + 1, y]))
            {
                result.Add(new DiffLine(DiffOp.Added, after[head + y]));
                y++;
            }
            else
            {
                result.Add(new DiffLine(DiffOp.Removed, before[head + x]));
                x++;
            }
        }

        for (var i = before.Count - tail; i < before.Count; i++)
        {
            result.Add(new DiffLine(DiffOp.Same, before[i]));
        }

        return result;
    }

    /// <summary>
    /// Unified-style text (---/+++ headers, @@ hunks with <paramref name="context"/> lines around each change).
    /// Empty string when the two texts are equal.
    /// </summary>
    public static string Unified(string before, string after, string beforeName, string afterName, int context = 3)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var lines = Compute(a, b);
        if (lines is null)
        {
            return $"--- {beforeName}\n+++ {afterName}\n(files too large to compare line by line: {a.Count} and {b.Count} lines)\n";
        }

        if (lines.All(l => l.Op == DiffOp.Same))
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(beforeName).Append('\n');
        text.Append("+++ ").Append(afterName).Append('\n');
        foreach (var (start, end) in Hunks(lines, context))
        {
            var oldStart = 1 + lines.Take(start).Count(l => l.Op != DiffOp.Added);
            var newStart = 1 + lines.Take(start).Count(l => l.Op != DiffOp.Removed);
            var slice = lines.Skip(start).Take(end - start).ToList();
            text.Append("@@ -").Append(oldStart).Append(',').Append(slice.Count(l => l.Op != DiffOp.Added))
                .Append(" +").Append(newStart).Append(',').Append(slice.Count(l => l.Op != DiffOp.Removed)).Append(" @@\n");
            foreach (var line in slice)
            {
                text.Append(line.Op switch { DiffOp.Added => '+', DiffOp.Removed => '-', _ => ' ' }).Append(line.Text).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>[start, end) ranges of the edit script: each change with its context, overlapping ranges merged.</summary>
    private static List<(int Start, int End)> Hunks(IReadOnlyList<DiffLine> lines, int context)
    {
        var hunks = new List<(int Start, int End)>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Op == DiffOp.Same)
            {
                continue;
            }

            var start = Math.Max(0, i - context);
            var end = Math.Min(lines.Count, i + context + 1);
            if (hunks.Count > 0 && start <= hunks[^1].End)
            {
                hunks[^1] = (hunks[^1].Start, Math.Max(hunks[^1].End, end));
            }
            else
            {
                hunks.Add((start, end));
            }
        }

        return hunks;
    }
}
