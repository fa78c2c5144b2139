using OdhMigration.Core.Workspace;

namespace OdhMigration.Cluster.Tests.Live;

public static class LiveTestSupport
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("OdhMigrationTasks.sln not found above " + AppContext.BaseDirectory);
    }

    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "odh-live-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path);
            Layout = new WorkspaceLayout(Path);
        }

        public string Path { get; }
        public WorkspaceLayout Layout { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}
