using OdhMigration.Core.Workspace;

namespace OdhMigration.Core.Tests.Support;

/// <summary>A workspace folder under the temp directory, removed when the test ends.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "odh-ws-" + Guid.NewGuid().ToString("N")[..12]);
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
            // best effort: a leftover temp folder is harmless
        }
    }
}
