using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// Whether a DSC/DSCI may be restored from the backup dsc-finalize took: the backup must have the sha256 finalize.json
/// recorded for it (never forceable: an altered backup could restore anything), and the live spec must still be what
/// dsc-finalize left (otherwise the restore would silently revert someone's later change; --force-dsc-restore allows it).
/// </summary>
public static class DscRestoreCheck
{
    /// <summary>The backup a source names, verified against the sha256 finalize.json recorded; an <see cref="ItemFailedException"/> naming the file otherwise.</summary>
    public static JsonObject VerifiedBackup(WorkspaceLayout layout, DscRestoreSource source)
    {
        if (string.IsNullOrEmpty(source.BackupFile))
        {
            throw new ItemFailedException($"finalize.json names no backup of {source.Kind} {source.Name}; restore it by hand");
        }

        return VerifiedBackup(layout, source.BackupFile, source.BackupSha256, source.Kind, source.Name);
    }

    /// <summary>The backup file, checked against <paramref name="recordedSha256"/> (null: finalize.json records none).</summary>
    public static JsonObject VerifiedBackup(WorkspaceLayout layout, string file, string? recordedSha256, string kind, string name)
    {
        if (string.IsNullOrEmpty(recordedSha256))
        {
            throw new ItemFailedException($"finalize.json records no sha256 for backup {file} of {kind} {name} (written by a dsc-finalize older than that record), so the backup cannot be verified; not restoring it (check the file and restore the spec by hand)");
        }

        var path = BackupFile.Resolve(layout, file, kind, null, name);
        if (!File.Exists(path))
        {
            throw new ItemFailedException($"backup {file} of {kind} {name} is missing; not restoring it");
        }

        var actual = Hashing.Sha256Hex(File.ReadAllBytes(path));
        if (!string.Equals(actual, recordedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ItemFailedException($"backup {file} of {kind} {name} changed since dsc-finalize wrote it: sha256 {actual}, finalize.json recorded {recordedSha256}; not restoring it (put the original file back, or restore the spec by hand)");
        }

        return BackupFile.Load(layout, file, kind, null, name);
    }

    /// <summary>
    /// The spec fields that differ from what dsc-finalize (its latest run that changed the object) left ("spec.x: left -> now"); empty when none, when the live
    /// object is gone (the step fails on its own) or when restoring would change nothing (already restored, e.g. by a
    /// run killed after its patch: the plan must stay the same for the resumed run).
    /// </summary>
    public static List<string> Drift(DscRestoreSource source, JsonObject backup, JsonObject? live)
    {
        if (live is null || AlreadyRestored(backup, live))
        {
            return [];
        }

        var left = source.Left;
        if (left is null)
        {
            return [$"finalize.json does not record the spec dsc-finalize left on {source.Kind} {source.Name}, so a later change cannot be ruled out"];
        }

        return JsonDiff.Leaves(left.Spec, live["spec"], "spec").Select(d => d.ToString()).ToList();
    }

    /// <summary>True when the restore would leave the live spec as it is.</summary>
    public static bool AlreadyRestored(JsonObject backup, JsonObject live) => RestorePatch(backup, live) is null;

    /// <summary>
    /// The restore: a merge patch that makes the live spec the backup's (fields the backup lacks, such as one
    /// dsc-finalize added, are set to null, which removes them); null when there is nothing to change. The object
    /// itself stays.
    /// </summary>
    public static JsonObject? RestorePatch(JsonObject backup, JsonObject live) =>
        Difference(live["spec"], backup["spec"]) is { } spec ? new JsonObject { ["spec"] = spec } : null;

    /// <summary>The RFC 7386 merge patch that turns <paramref name="from"/> into <paramref name="to"/>; null when they are equal.</summary>
    private static JsonNode? Difference(JsonNode? from, JsonNode? to)
    {
        if (from is JsonObject a && to is JsonObject b)
        {
            var patch = new JsonObject();
            foreach (var (key, value) in b)
            {
                if (!a.ContainsKey(key) || Difference(a[key], value) is not null)
                {
                    patch[key] = a[key] is JsonObject child && value is JsonObject ? Difference(child, value) : value?.DeepClone();
                }
            }

            foreach (var key in a.Select(p => p.Key).Where(k => !b.ContainsKey(k)))
            {
                patch[key] = null;
            }

            return patch.Count == 0 ? null : patch;
        }

        // Not equal and "to" is null: any non-null node says "differs"; the caller writes the null itself.
        return JsonNode.DeepEquals(from, to) ? null : to?.DeepClone() ?? new JsonObject();
    }
}
