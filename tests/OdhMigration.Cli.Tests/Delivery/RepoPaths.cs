using OdhMigration.TestSupport;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>Finds the repository root (the folder holding OdhMigrationTasks.sln) and the pinned upstream files.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Tekton => Path.Combine(Root, "tekton");

    public static string Shared => UpstreamFiles.Root;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
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
