namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>The repository root (the folder holding OdhMigrationTasks.sln) and the shared material beside it.</summary>
public static class ModelMeshTestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

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
