using OdhMigration.Cli.Interactive;

namespace OdhMigration.Cli.Tests.Discover;

public sealed class PagedPickerTests
{
    private static readonly IReadOnlyList<string> Rows = Enumerable.Range(1, 25).Select(i => $"ns/model-{i}").ToList();

    private static async Task<(IReadOnlyCollection<int>? Chosen, string Output)> PickAsync(string script, IEnumerable<int>? initially = null, int pageSize = 10)
    {
        using var input = new StringReader(script);
        using var output = new StringWriter();
        var chosen = await new PagedPicker(input, output, pageSize).PickAsync(Rows, initially ?? [], TestContext.Current.CancellationToken);
        return (chosen, output.ToString());
    }

    [Fact]
    public async Task Numbers_are_global_and_mean_what_is_shown_on_any_page()
    {
        var (chosen, output) = await PickAsync("n\n12 15-16\ndone\n");
        Assert.Equal([11, 14, 15], chosen);
        Assert.Contains("-- page 2 of 3", output, StringComparison.Ordinal);
        Assert.Contains("[ ]   11  ns/model-11", output, StringComparison.Ordinal);
        Assert.Contains("[x]   12  ns/model-12", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ns/model-21", output, StringComparison.Ordinal); // page 3 never shown
    }

    [Fact]
    public async Task All_then_toggling_removes_and_paging_is_clamped()
    {
        var (chosen, output) = await PickAsync("p\nall\n1-24\nn\nn\nn\ndone\n");
        Assert.Equal([24], chosen);
        Assert.Contains("-- page 3 of 3", output, StringComparison.Ordinal);
        Assert.DoesNotContain("page 4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initially_chosen_rows_are_marked_and_an_empty_line_accepts()
    {
        var (chosen, _) = await PickAsync("\n", [0, 2]);
        Assert.Equal([0, 2], chosen);
    }

    [Fact]
    public async Task An_invalid_entry_changes_nothing_and_explains()
    {
        var (chosen, output) = await PickAsync("3 99\n3 x\n7-5\ndone\n");
        Assert.Equal([], chosen);
        Assert.Contains("'99' is not a number or range between 1 and 25", output, StringComparison.Ordinal);
        Assert.Contains("'x' is not a number", output, StringComparison.Ordinal);
        Assert.Contains("'7-5' is not a number", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quit_or_end_of_input_cancels()
    {
        Assert.Null((await PickAsync("1\nq\n")).Chosen);
        Assert.Null((await PickAsync("1 2\n")).Chosen);
    }

    [Fact]
    public async Task Page_size_controls_rows_per_page()
    {
        var (_, output) = await PickAsync("done\n", pageSize: 4);
        Assert.Contains("-- page 1 of 7", output, StringComparison.Ordinal);
        Assert.Contains("ns/model-4", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ns/model-5\n", output, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PagedPicker(TextReader.Null, TextWriter.Null, 0));
    }
}
