using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>Finds and checks the on-disk backup of an original before anything deletes or overwrites it.</summary>
public static class BackupFile
{
    /// <summary>The plan's backup for an object, or null when the plan names none.</summary>
    public static string? For(PlanItem item, string kind, string? ns, string name) =>
        item.DeleteOnCleanup.FirstOrDefault(d => d.Kind == kind && d.Name == name && (d.Namespace ?? ns) == ns)?.BackupFile;

    /// <summary>Reads the backup and checks it is the object named; throws <see cref="ItemFailedException"/> otherwise.</summary>
    public static JsonObject Load(WorkspaceLayout layout, string? relativePath, string kind, string? ns, string name)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            throw new ItemFailedException($"no backup of {kind} {ns}/{name} is named in plan.json (DeleteOnCleanup[].backupFile); refusing to delete or overwrite it");
        }

        string path;
        try
        {
            path = layout.Absolute(relativePath);
        }
        catch (WorkspacePathException ex)
        {
            throw new ItemFailedException($"backup of {kind} {ns}/{name}: {ex.Message}", ex);
        }

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
