namespace OdhMigration.Core.Workspace;

/// <summary>
/// The &lt;ns&gt;/_namespace/ facts files export writes and the ModelMesh transform reads (docs/workspace-export.md):
/// their names and the annotation on the PVC copies, spelled once for both stages.
/// </summary>
public static class NamespaceFactsFiles
{
    public const string Pvcs = "pvcs.yaml";

    /// <summary>The dashboard "Permissions" RoleBindings; named for what it holds.</summary>
    public const string Permissions = "rolebindings.yaml";
    public const string DataConnections = "data-connections.yaml";

    /// <summary>Facts-only annotation on the copies in pvcs.yaml: the pods that mount the claim, comma-separated.</summary>
    public const string MountedByAnnotation = "migration.opendatahub.io/mounted-by";
}
