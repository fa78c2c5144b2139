using OdhMigration.TestSupport;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>Finds the repository root (it holds OdhMigrationTasks.sln) and the pinned upstream CRDs.</summary>
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

    /// <summary>The upstream CRDs: ../shared/crds beside the clone, else the clone's cache (see <see cref="UpstreamFiles"/>).</summary>
    public static string SharedCrds() => Path.Combine(UpstreamFiles.Root, "crds");
}
