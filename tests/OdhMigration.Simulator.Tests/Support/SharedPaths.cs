namespace OdhMigration.Simulator.Tests.Support;

/// <summary>Finds the shared research folder next to the repository (repo root holds OdhMigrationTasks.sln; shared is ../shared).</summary>
public static class SharedPaths
{
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    public static string? SharedCrds()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "crds"), Path.Combine(dir.FullName, "..", "shared", "crds") })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
