namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>
/// ExportedFile.Role in export.json: what a saved file is to the ISVC (Items[].Files), to the cluster (ClusterFiles) or
/// to the namespace (NamespaceFiles). Export writes them; transform finds the originals by them.
/// </summary>
public static class ExportRoles
{
    // Per ISVC.
    public const string Isvc = "isvc";
    public const string Runtime = "runtime";
    public const string ServiceAccount = "service-account";
    public const string Role = "role";
    public const string RoleBinding = "role-binding";
    public const string TokenSecret = "token-secret";
    public const string Route = "route";
    public const string StorageSecret = "storage-secret";

    // Cluster-level backups.
    public const string InferenceServiceConfig = "inferenceservice-config";
    public const string Template = "template";
    public const string Dsc = "dsc";
    public const string Dsci = "dsci";

    // Namespace facts (<ns>/_namespace/).
    public const string Namespace = "namespace";
    public const string Runtimes = "runtimes";
    public const string Pvcs = "pvcs";
    public const string Permissions = "permissions";
    public const string DataConnections = "data-connections";
}
