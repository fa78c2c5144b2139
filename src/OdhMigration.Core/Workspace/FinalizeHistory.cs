using System.Globalization;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// The runs of dsc-finalize that changed something, as finalize.json records them (its earlierRuns, then itself). A
/// later run carries them forward, so a rerun that changes nothing (or a dry run, or a refused run) does not erase the
/// backups rollback restores from. The file is workspace input a person may have edited: a record is checked (shape,
/// paths inside the workspace, each backup's sha256) before a run carries it forward.
/// </summary>
public static class FinalizeHistory
{
    /// <summary>The recorded runs that changed something, oldest first (null entries of an edited file are skipped; <see cref="Problems"/> names them).</summary>
    public static List<FinalizeRun> Runs(FinalizeReport report)
    {
        var runs = (report.EarlierRuns ?? []).OfType<FinalizeRun>().ToList();
        if (!report.DryRun && report.Changes is { Count: > 0 })
        {
            runs.Add(new FinalizeRun
            {
                GeneratedAt = report.GeneratedAt,
                Changes = report.Changes,
                Backups = report.Backups,
                BackupFiles = report.BackupFiles,
                Finalized = report.Finalized,
            });
        }

        return runs;
    }

    /// <summary>What a new finalize.json carries forward from the one it replaces: null when nothing (no file, or no run changed anything).</summary>
    public static List<FinalizeRun>? Carried(FinalizeReport? previous) =>
        previous is not null && Runs(previous) is { Count: > 0 } runs ? runs : null;

    /// <summary>
    /// The runs the finalize.json in the workspace records, checked, to carry into the one this run writes; null when
    /// there is none. A record that fails the checks refuses the run before anything is changed, and the file is left as
    /// it is: writing over it would lose (or vouch for) the backups rollback restores from.
    /// </summary>
    public static async Task<List<FinalizeRun>?> ReadCarriedAsync(WorkspaceLayout layout, CancellationToken ct)
    {
        if (!File.Exists(layout.Finalize))
        {
            return null;
        }

        var (previous, _) = await WorkspaceDocuments.ReadAsync(layout, layout.Finalize, FinalizeReport.DocumentKind, FinalizeReport.CurrentSchemaVersion, FinalizeReportJsonContext.Default.FinalizeReport, ct).ConfigureAwait(false);
        var problems = Problems(layout, previous);
        if (problems.Count > 0)
        {
            throw new PreconditionException($"{WorkspaceLayout.FinalizeFile} records earlier dsc-finalize runs that cannot be carried forward ({string.Join("; ", problems)}); nothing was changed and {WorkspaceLayout.FinalizeFile} is left as it is (put the backup back as dsc-finalize wrote it; or move {WorkspaceLayout.FinalizeFile} away, which gives up restoring from those backups)");
        }

        return Carried(previous);
    }

    /// <summary>
    /// Why the runs a report records cannot be carried forward, each naming the run and the file: a null or incomplete
    /// entry, a backup path outside the workspace, a backup missing or not the bytes whose sha256 was recorded. A
    /// record without <c>backupFiles</c> (an older dsc-finalize) is carried as it is: rollback refuses to restore from
    /// its backups on its own.
    /// </summary>
    public static List<string> Problems(WorkspaceLayout layout, FinalizeReport report)
    {
        var problems = new List<string>();
        if (report.EarlierRuns?.Any(r => r is null) == true)
        {
            problems.Add("earlierRuns has an empty entry");
        }

        foreach (var run in Runs(report))
        {
            var at = $"the run of {run.GeneratedAt.ToString("u", CultureInfo.InvariantCulture)}";
            if (run.Changes is null || run.Changes.Any(c => c is null || string.IsNullOrEmpty(c.Kind) || string.IsNullOrEmpty(c.Name)))
            {
                problems.Add($"{at}: changes missing or with an entry without kind or name");
            }

            if (run.Backups is null || run.Backups.Any(string.IsNullOrEmpty))
            {
                problems.Add($"{at}: backups missing or with an empty path");
            }

            if (run.Finalized?.Any(f => f is null || string.IsNullOrEmpty(f.Kind) || string.IsNullOrEmpty(f.Name)) == true)
            {
                problems.Add($"{at}: finalized has an entry without kind or name");
            }

            foreach (var path in run.Backups?.Where(p => !string.IsNullOrEmpty(p)) ?? [])
            {
                if (OutsideWorkspace(layout, path) is { } outside)
                {
                    problems.Add($"{at}: backup {path}: {outside}");
                }
            }

            foreach (var record in run.BackupFiles ?? [])
            {
                if (BackupProblem(layout, record) is { } problem)
                {
                    problems.Add($"{at}: {problem}");
                }
            }
        }

        return problems;
    }

    private static string? BackupProblem(WorkspaceLayout layout, BackupRecord? record)
    {
        if (record is null || string.IsNullOrEmpty(record.Path) || string.IsNullOrEmpty(record.Sha256))
        {
            return "backupFiles has an entry without path or sha256";
        }

        if (OutsideWorkspace(layout, record.Path) is { } outside)
        {
            return $"backup {record.Path}: {outside}";
        }

        var path = layout.Absolute(record.Path);
        if (!File.Exists(path))
        {
            return $"backup {record.Path} is missing";
        }

        var actual = Hashing.Sha256Hex(File.ReadAllBytes(path));
        return string.Equals(actual, record.Sha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"backup {record.Path} changed since dsc-finalize wrote it: sha256 {actual}, recorded {record.Sha256}";
    }

    private static string? OutsideWorkspace(WorkspaceLayout layout, string path)
    {
        try
        {
            layout.Absolute(path);
            return null;
        }
        catch (WorkspacePathException ex)
        {
            return ex.Message;
        }
    }
}
