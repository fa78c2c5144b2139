using OdhMigration.Core.Reporting;

namespace OdhMigration.Cli.Tests.Reporting;

public sealed class LineDiffTests
{
    [Fact]
    public void Equal_texts_give_no_diff() =>
        Assert.Equal("", LineDiff.Unified("a\nb\n", "a\nb", "x", "y"));

    [Fact]
    public void A_changed_line_is_shown_as_removed_and_added_with_context_and_hunk_header()
    {
        var before = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line{i}"));
        var after = before.Replace("line5", "line5-new", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "a.yaml", "b.yaml");

        Assert.Equal(
            "--- a.yaml\n+++ b.yaml\n@@ -2,7 +2,7 @@\n line2\n line3\n line4\n-line5\n+line5-new\n line6\n line7\n line8\n",
            diff);
    }

    [Fact]
    public void Insertions_and_deletions_far_apart_make_two_hunks()
    {
        var before = Enumerable.Range(1, 20).Select(i => $"l{i}").ToList();
        var after = before.Where(l => l != "l2").ToList();
        after.Insert(17, "inserted");

        var diff = LineDiff.Unified(string.Join('\n', before), string.Join('\n', after), "a", "b");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("\n-l2\n", diff, StringComparison.Ordinal);
        Assert.Contains("\n+inserted\n", diff, StringComparison.Ordinal);
        Assert.Contains("@@ -1,5 +1,4 @@", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_script_reproduces_both_sides()
    {
        string[] before = ["a", "b", "c", "d", "e"];
        string[] after = ["b", "x", "d", "e", "f"];
        var script = LineDiff.Compute(before, after)!;

        Assert.Equal(before, script.Where(l => l.Op != DiffOp.Added).Select(l => l.Text));
        Assert.Equal(after, script.Where(l => l.Op != DiffOp.Removed).Select(l => l.Text));
        Assert.Equal(3, script.Count(l => l.Op == DiffOp.Same)); // b, d, e: the longest common subsequence
    }
}
