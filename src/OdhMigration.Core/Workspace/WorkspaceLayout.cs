namespace OdhMigration.Core.Workspace;

/// <summary>
/// Where every artifact lives inside a workspace (see docs/workspace.md). Stage code asks this class for paths
/// instead of composing them, so the contract is defined in exactly one place.
/// </summary>
public sealed class WorkspaceLayout
{
    public const string InventoryFile = "inventory.json";
    public const string ExportFile = "export.json";
    public const string PlanFile = "plan.json";
    public const string LedgerFile = "ledger.json";
    public const string ValidationFile = "validation.json";
    public const string ValidationJUnitFile = "validation-junit.xml";
    public const string ValidationSummaryFile = "validation-summary.md";
    public const string CleanupFile = "cleanup.json";
    public const string FinalizeFile = "finalize.json";
    public const string ApprovalsFile = "approvals.json";

    public const string OriginalDir = "original";
    public const string RawDir = "raw";
    public const string RawOriginalNamesDir = "raw-original-names";

    /// <summary>Per-namespace facts; '_' cannot start a Kubernetes name, so this never collides with an ISVC folder.</summary>
    public const string NamespaceFactsDir = "_namespace";

    /// <summary>Cluster-level backups (inferenceservice-config, templates, DSC, DSCI).</summary>
    public const string ClusterDir = "_cluster";

    public WorkspaceLayout(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string Inventory => Path.Combine(Root, InventoryFile);
    public string Export => Path.Combine(Root, ExportFile);
    public string Plan => Path.Combine(Root, PlanFile);
    public string Ledger => Path.Combine(Root, LedgerFile);
    public string Validation => Path.Combine(Root, ValidationFile);
    public string ValidationJUnit => Path.Combine(Root, ValidationJUnitFile);
    public string ValidationSummary => Path.Combine(Root, ValidationSummaryFile);
    public string Cleanup => Path.Combine(Root, CleanupFile);
    public string Finalize => Path.Combine(Root, FinalizeFile);
    public string Approvals => Path.Combine(Root, ApprovalsFile);
    public string ClusterFacts => Path.Combine(Root, ClusterDir);

    public string IsvcDir(string ns, string isvc) => Path.Combine(Root, ns, isvc);
    public string Original(string ns, string isvc) => Path.Combine(IsvcDir(ns, isvc), OriginalDir);
    public string Raw(string ns, string isvc) => Path.Combine(IsvcDir(ns, isvc), RawDir);
    public string RawOriginalNames(string ns, string isvc) => Path.Combine(IsvcDir(ns, isvc), RawOriginalNamesDir);
    public string NamespaceFacts(string ns) => Path.Combine(Root, ns, NamespaceFactsDir);

    /// <summary>Workspace-relative path with forward slashes, as recorded in the JSON documents.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public string Absolute(string relative) => Path.GetFullPath(Path.Combine(Root, relative));
}
