using OdhMigration.TestSupport;

namespace OdhMigration.Core.Tests.Support;

/// <summary>Locates the repository root (the folder with OdhMigrationTasks.sln) and the shared material beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The pinned upstream CRDs and fixtures, read-only: ../shared next to the checkout, else the clone's cache.</summary>
    public static string Shared => UpstreamFiles.Root;

    public static string Samples => Path.Combine(Root, "samples");

    public static string CoreTestProject => Path.Combine(Root, "tests", "OdhMigration.Core.Tests");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("OdhMigrationTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
