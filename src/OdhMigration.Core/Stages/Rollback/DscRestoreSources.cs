using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// A DSC/DSCI dsc-finalize changed and what rollback restores it from: the first backup any recorded run took of it (its
/// spec before dsc-finalize; a later run's backup is of an already finalized object), with the sha256 that run recorded,
/// and the spec the latest run that changed it left (what the live spec is compared with to detect later changes).
/// </summary>
public sealed record DscRestoreSource(string Kind, string Name, string? BackupFile, string? BackupSha256, IReadOnlyList<FieldChange> Changes, FinalizedObject? Left);

public static class DscRestoreSources
{
    /// <summary>One per DSC/DSCI any real run changed (DSCs first), from finalize.json's runs (<see cref="FinalizeHistory.Runs"/>).</summary>
    public static List<DscRestoreSource> From(FinalizeReport? finalize)
    {
        var result = new List<DscRestoreSource>();
        if (finalize is null)
        {
            return result;
        }

        var runs = FinalizeHistory.Runs(finalize);
        foreach (var kind in new[] { Kinds.DataScienceCluster, Kinds.DSCInitialization })
        {
            var names = runs.SelectMany(ChangesOf).Where(c => c.Kind == kind.Kind).Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                bool Changed(FinalizeRun run) => ChangesOf(run).Any(c => c.Kind == kind.Kind && c.Name == name);
                var fileName = $"{kind.Kind.ToLowerInvariant()}-{name}.yaml";
                var (file, sha) = runs
                    .Select(r => (File: r.Backups?.FirstOrDefault(b => !string.IsNullOrEmpty(b) && Path.GetFileName(b) == fileName), Run: r))
                    .Where(x => x.File is not null)
                    .Select(x => (x.File, x.Run.BackupFiles?.FirstOrDefault(b => b is not null && b.Path == x.File)?.Sha256))
                    .FirstOrDefault();
                var left = runs.Last(Changed).Finalized?.FirstOrDefault(f => f is not null && f.Kind == kind.Kind && f.Name == name);
                result.Add(new DscRestoreSource(kind.Kind, name, file, sha, runs.SelectMany(ChangesOf).Where(c => c.Kind == kind.Kind && c.Name == name).ToList(), left));
            }
        }

        return result;
    }

    private static IEnumerable<FieldChange> ChangesOf(FinalizeRun run) => (run.Changes ?? []).OfType<FieldChange>().Where(c => c.Kind is not null && c.Name is not null);
}
