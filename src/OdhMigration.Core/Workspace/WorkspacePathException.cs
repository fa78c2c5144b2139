namespace OdhMigration.Core.Workspace;

/// <summary>
/// A name or a recorded path that would lead outside the workspace, through a symbolic link, or that the API server
/// itself would refuse. An <see cref="IOException"/> so every place that already treats a file problem as one item's
/// failure (export, cleanup) refuses just that item; the message names the object or document and the rule.
/// </summary>
public sealed class WorkspacePathException : IOException
{
    public WorkspacePathException(string message) : base(message) { }
    public WorkspacePathException(string message, Exception inner) : base(message, inner) { }
    public WorkspacePathException() { }
}
