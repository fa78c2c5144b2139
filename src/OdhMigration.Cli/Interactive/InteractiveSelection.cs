using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Interactive;

/// <summary>Connects discover's --interactive to the <see cref="PagedPicker"/> on the terminal.</summary>
public static class InteractiveSelection
{
    /// <summary>
    /// The picker when --interactive was asked for and a person can answer (stdin is a terminal); otherwise null, and
    /// discover selects non-interactively (a pipeline never hangs waiting for input).
    /// </summary>
    public static SelectionPicker? Create(bool requested, int pageSize, IStageLog log, TextWriter prompts)
    {
        if (!requested)
        {
            return null;
        }

        if (pageSize < 1)
        {
            throw new UsageException($"--page-size {pageSize}: must be at least 1");
        }

        if (Console.IsInputRedirected)
        {
            log.Warn("--interactive ignored: no terminal is attached to stdin; selecting non-interactively");
            return null;
        }

        return ForStreams(Console.In, prompts, pageSize);
    }

    public static SelectionPicker ForStreams(TextReader input, TextWriter output, int pageSize) =>
        (candidates, ct) => new PagedPicker(input, output, pageSize).PickAsync(candidates.Select(Row).ToList(), Enumerable.Range(0, candidates.Count), ct);

    public static string Row(InventoryItem item)
    {
        var notes = new List<string> { item.Mode };
        if (item.Facts.Runtime is { } runtime)
        {
            notes.Add($"runtime {runtime}{(item.Facts.RuntimeShared ? " (shared)" : "")}");
        }

        if (item.Facts.Auth)
        {
            notes.Add("auth");
        }

        if (item.Warnings.Count > 0)
        {
            notes.Add($"{item.Warnings.Count} warning(s)");
        }

        return $"{item.Namespace}/{item.Name}  [{string.Join(", ", notes)}]";
    }
}
