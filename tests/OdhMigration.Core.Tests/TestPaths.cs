namespace OdhMigration.Core.Tests;

/// <summary>Finds the repository (the folder holding OdhMigrationTasks.sln) and the shared material beside it.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string TestProject => Path.Combine(RepoRoot, "tests", "OdhMigration.Core.Tests");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OdhMigrationTasks.sln not found above {AppContext.BaseDirectory}");
    }
}
