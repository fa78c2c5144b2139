namespace OdhMigration.DeliveryGen;

/// <summary>The repository root: the nearest folder holding OdhMigrationTasks.sln above the working directory, else above the tool.</summary>
public static class RepoRoot
{
    public const string Solution = "OdhMigrationTasks.sln";

    public static string? Find() => Above(Directory.GetCurrentDirectory()) ?? Above(AppContext.BaseDirectory);

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Solution)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
