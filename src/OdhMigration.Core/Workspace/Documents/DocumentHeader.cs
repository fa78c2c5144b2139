namespace OdhMigration.Core.Workspace.Documents;

/// <summary>A workspace document a stage read, with the sha256 it had; lets a gate prove nothing changed since.</summary>
public sealed record ConsumedDocument(string Path, string Sha256);

/// <summary>Implemented by every versioned workspace document.</summary>
public interface IWorkspaceDocument
{
    int SchemaVersion { get; }
    string Kind { get; }
}
