using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// The sha256 each backup file had when export wrote it: taken from the plan (transform records it on every
/// planned deletion) or, for plans written before that, from export.json, whose own sha256 the plan records.
/// Either way the approved plan's sha256 covers the backup, so an edited backup is noticed before a delete.
/// </summary>
public sealed class BackupHashes
{
    private readonly Dictionary<string, string> _exported;

    private BackupHashes(Dictionary<string, string> exported) => _exported = exported;

    public static BackupHashes None { get; } = new([]);

    public static BackupHashes From(ExportReport? export)
    {
        var files = export is null
            ? []
            : (export.Items ?? []).SelectMany(i => i.Files ?? []).Concat(export.NamespaceFiles ?? []).Concat(export.ClusterFiles ?? []);
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            byPath.TryAdd(file.Path, file.Sha256);
        }

        return new BackupHashes(byPath);
    }

    /// <summary>The sha256 export recorded for a workspace-relative file, or null when it recorded none.</summary>
    public string? Exported(string? relativePath) => relativePath is null ? null : _exported.GetValueOrDefault(relativePath);

    /// <summary>The sha256 a deletion's backup must have: the plan's own record first, else export.json's.</summary>
    public string? Expected(PlannedDeletion deletion) => deletion.BackupSha256 ?? Exported(deletion.BackupFile);
}
