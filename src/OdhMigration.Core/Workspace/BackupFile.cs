using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>Finds and checks the on-disk backup of an original before anything deletes or overwrites it.</summary>
public static class BackupFile
{
    /// <summary>The plan's backup for an object, or null when the plan names none.</summary>
    public static string? For(PlanItem item, string kind, string? ns, string name) =>
        item.DeleteOnCleanup.FirstOrDefault(d => d.Kind == kind && d.Name == name && (d.Namespace ?? ns) == ns)?.BackupFile;

    /// <summary>
    /// The check before a delete the backup protects: the file must exist, have exactly the sha256 recorded for it
    /// (<paramref name="expectedSha256"/>, from the plan or export.json) and hold the object named. An edited backup
    /// could restore something else, so it counts as no backup. Throws <see cref="ItemFailedException"/> otherwise.
    /// </summary>
    public static JsonObject Verify(WorkspaceLayout layout, string? relativePath, string? expectedSha256, string kind, string? ns, string name)
    {
        if (!string.IsNullOrEmpty(relativePath) && File.Exists(Resolve(layout, relativePath, kind, ns, name)))
        {
            if (string.IsNullOrEmpty(expectedSha256))
            {
                throw new ItemFailedException($"backup {relativePath} of {kind} {ns}/{name} has no sha256 on record (neither plan.json nor export.json names it), so it cannot be checked; refusing to delete or overwrite it (run export and transform again)");
            }

            var actual = Hashing.Sha256Hex(File.ReadAllBytes(Resolve(layout, relativePath, kind, ns, name)));
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ItemFailedException($"backup {relativePath} of {kind} {ns}/{name} changed since export: sha256 {actual}, recorded {expectedSha256}; refusing to delete or overwrite it (restore the file, or run export and transform again)");
            }
        }

        return Load(layout, relativePath, kind, ns, name);
    }

    /// <summary>
    /// The full path of a backup a workspace document recorded. A path outside the workspace (absolute, "..", a link on
    /// the way) is that object's refusal, not the whole stage's: the other items go on.
    /// </summary>
    public static string Resolve(WorkspaceLayout layout, string relativePath, string kind, string? ns, string name)
    {
        try
        {
            return layout.Absolute(relativePath);
        }
        catch (WorkspacePathException ex)
        {
            throw new ItemFailedException($"backup of {kind} {ns}/{name}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the backup and checks it is the object named; throws <see cref="ItemFailedException"/> otherwise.</summary>
    public static JsonObject Load(WorkspaceLayout layout, string? relativePath, string kind, string? ns, string name)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            throw new ItemFailedException($"no backup of {kind} {ns}/{name} is named in plan.json (DeleteOnCleanup[].backupFile); refusing to delete or overwrite it");
        }

        var path = Resolve(layout, relativePath, kind, ns, name);
        if (!File.Exists(path))
        {
            throw new ItemFailedException($"backup {relativePath} of {kind} {ns}/{name} is missing; refusing to delete or overwrite it (run export again)");
        }

        JsonObject? obj;
        try
        {
            obj = Yaml.ParseSingle(File.ReadAllText(path), relativePath) as JsonObject;
        }
        catch (ManifestFormatException ex)
        {
            throw new ItemFailedException($"backup {relativePath} does not parse: {ex.Message}", ex);
        }

        if (obj is null || obj.Kind() != kind || obj.Name() != name || (obj.Namespace() is { } backupNs && backupNs != ns))
        {
            throw new ItemFailedException($"backup {relativePath} is not {kind} {ns}/{name} (it holds {obj?.Kind()} {obj?.Namespace()}/{obj?.Name()})");
        }

        return obj;
    }
}
