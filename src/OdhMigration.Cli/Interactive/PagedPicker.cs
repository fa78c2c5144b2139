using System.Globalization;

namespace OdhMigration.Cli.Interactive;

/// <summary>
/// A paged, line-oriented picker over any list of rows. Numbers are global (row 12 is "12" on every page) and mean
/// exactly what is shown. Commands: numbers and ranges ("1 3 5-7") toggle rows, "all" / "none", "n" / "p" page,
/// "done" (or an empty line) finishes, "q" cancels. Knows nothing of Kubernetes so it can be driven by scripted
/// input in tests.
/// </summary>
public sealed class PagedPicker(TextReader input, TextWriter output, int pageSize = 10)
{
    public int PageSize { get; } = pageSize > 0 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize), "page size must be at least 1");

    /// <summary>Returns the chosen zero-based indexes, or null when the user quit (or the input ended).</summary>
    public async Task<IReadOnlyCollection<int>?> PickAsync(IReadOnlyList<string> rows, IEnumerable<int> initiallyChosen, CancellationToken cancellationToken = default)
    {
        var chosen = new SortedSet<int>(initiallyChosen.Where(i => i >= 0 && i < rows.Count));
        var pages = Math.Max(1, (rows.Count + PageSize - 1) / PageSize);
        var page = 0;
        string? message = null;
        while (true)
        {
            await ShowAsync(rows, chosen, page, pages, message).ConfigureAwait(false);
            message = null;
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            var command = line.Trim().ToLowerInvariant();
            switch (command)
            {
                case "q" or "quit":
                    return null;
                case "" or "done" or "d":
                    return chosen.ToList();
                case "n" or "next":
                    page = Math.Min(page + 1, pages - 1);
                    continue;
                case "p" or "prev" or "previous":
                    page = Math.Max(page - 1, 0);
                    continue;
                case "all" or "a":
                    chosen.UnionWith(Enumerable.Range(0, rows.Count));
                    continue;
                case "none":
                    chosen.Clear();
                    continue;
            }

            message = Toggle(command, rows.Count, chosen);
        }
    }

    /// <summary>Toggles every number and range in the line; returns an error message, or null when all were valid (nothing changes on error).</summary>
    internal static string? Toggle(string command, int count, SortedSet<int> chosen)
    {
        var toggles = new List<int>();
        foreach (var token in command.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = token.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0
                && int.TryParse(token[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                && int.TryParse(token[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                && from >= 1 && to <= count && from <= to)
            {
                toggles.AddRange(Enumerable.Range(from - 1, to - from + 1));
            }
            else if (dash < 0 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var single) && single >= 1 && single <= count)
            {
                toggles.Add(single - 1);
            }
            else
            {
                return $"'{token}' is not a number or range between 1 and {count}; commands: 1 3 5-7, all, none, n, p, done, q";
            }
        }

        foreach (var index in toggles.Distinct())
        {
            if (!chosen.Remove(index))
            {
                chosen.Add(index);
            }
        }

        return null;
    }

    private async Task ShowAsync(IReadOnlyList<string> rows, SortedSet<int> chosen, int page, int pages, string? message)
    {
        var first = page * PageSize;
        var last = Math.Min(first + PageSize, rows.Count);
        await output.WriteLineAsync($"-- page {page + 1} of {pages} ({chosen.Count} of {rows.Count} chosen) --").ConfigureAwait(false);
        for (var i = first; i < last; i++)
        {
            var mark = chosen.Contains(i) ? "[x]" : "[ ]";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{mark} {i + 1,4}  {rows[i]}")).ConfigureAwait(false);
        }

        if (message is not null)
        {
            await output.WriteLineAsync(message).ConfigureAwait(false);
        }

        await output.WriteAsync("toggle 1 3 5-7 | all | none | n(ext) | p(rev) | done | q(uit) > ").ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}
