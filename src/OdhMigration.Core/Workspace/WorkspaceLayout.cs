using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// Where every artifact lives inside a workspace (see docs/workspace.md). Stage code asks this class for paths
/// instead of composing them, so the contract is defined in exactly one place.
/// </summary>
public sealed class WorkspaceLayout
{
    public const string InventoryFile = "inventory.json";
    public const string ExportFile = "export.json";
    public const string CapacityFile = "capacity.json";
    public const string PlanFile = "plan.json";
    public const string LedgerFile = "ledger.json";
    public const string ValidationFile = "validation.json";
    public const string ValidationJUnitFile = "validation-junit.xml";
    public const string ValidationSummaryFile = "validation-summary.md";
    public const string CleanupFile = "cleanup.json";
    public const string FinalizeFile = "finalize.json";
    public const string ApprovalsFile = "approvals.json";
    public const string RollbackPlanFile = "rollback-plan.json";
    public const string RollbackPlanSummaryFile = "rollback-plan.md";
    public const string RollbackLedgerFile = "rollback-ledger.json";
    public const string RollbackFile = "rollback.json";

    /// <summary>Per namespace, the replacements rollback deleted (saved first; Secrets without their data).</summary>
    public const string RollbackBackupDir = "_rollback";

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
    public string Capacity => Path.Combine(Root, CapacityFile);
    public string Plan => Path.Combine(Root, PlanFile);
    public string Ledger => Path.Combine(Root, LedgerFile);
    public string Validation => Path.Combine(Root, ValidationFile);
    public string ValidationJUnit => Path.Combine(Root, ValidationJUnitFile);
    public string ValidationSummary => Path.Combine(Root, ValidationSummaryFile);
    public string Cleanup => Path.Combine(Root, CleanupFile);
    public string Finalize => Path.Combine(Root, FinalizeFile);
    public string Approvals => Path.Combine(Root, ApprovalsFile);
    public string ClusterFacts => Path.Combine(Root, ClusterDir);
    public string RollbackPlan => Path.Combine(Root, RollbackPlanFile);
    public string RollbackPlanSummary => Path.Combine(Root, RollbackPlanSummaryFile);
    public string RollbackLedger => Path.Combine(Root, RollbackLedgerFile);
    public string Rollback => Path.Combine(Root, RollbackFile);

    /// <summary>Where rollback saves the replacements it deletes in one namespace.</summary>
    public string RollbackBackups(string ns)
    {
        CheckName("Namespace", ns, ns);
        return Contained(Path.Combine(Root, ns, RollbackBackupDir));
    }

    /// <summary>The folder of one ISVC: both names must be DNS-1123 labels, so the folder is always directly under the root.</summary>
    public string IsvcDir(string ns, string isvc)
    {
        CheckName("Namespace", ns, ns);
        CheckName("InferenceService", isvc, $"{ns}/{isvc}");
        return Contained(Path.Combine(Root, ns, isvc));
    }

    public string Original(string ns, string isvc) => Contained(Path.Combine(IsvcDir(ns, isvc), OriginalDir));
    public string Raw(string ns, string isvc) => Contained(Path.Combine(IsvcDir(ns, isvc), RawDir));
    public string RawOriginalNames(string ns, string isvc) => Contained(Path.Combine(IsvcDir(ns, isvc), RawOriginalNamesDir));

    public string NamespaceFacts(string ns)
    {
        CheckName("Namespace", ns, ns);
        return Contained(Path.Combine(Root, ns, NamespaceFactsDir));
    }

    /// <summary>
    /// The path of a file named after an object (<c>60-inferenceservice-&lt;name&gt;.yaml</c>) inside
    /// <paramref name="folder"/>: the name must be one the API server accepts for its kind, and the result must stay
    /// inside the workspace.
    /// </summary>
    public string ObjectFile(string folder, string kind, string name, string? ns, string fileName)
    {
        CheckName(kind, name, ns is { Length: > 0 } ? $"{ns}/{name}" : name);
        return Contained(Path.Combine(folder, fileName));
    }

    /// <summary>Workspace-relative path with forward slashes, as recorded in the JSON documents.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>
    /// A path read from a workspace document (plan.json, export.json, the ledger), made absolute. It must be
    /// relative, free of NUL, resolve inside the workspace and pass through no symbolic link: a tampered document
    /// can never make a stage read, write or delete anything elsewhere.
    /// </summary>
    public string Absolute(string relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new WorkspacePathException($"path '{Printable(relative)}' recorded in the workspace is not a relative path inside {Root}; refusing to use it");
        }

        return Contained(Path.Combine(Root, relative), relative);
    }

    /// <summary>
    /// Proves <paramref name="path"/> lies strictly under the root and that no folder or file on the way from the
    /// root to it is a symbolic link (links are refused, never followed). Returns the full path.
    /// </summary>
    public string Contained(string path, string? recordedAs = null)
    {
        var full = Path.GetFullPath(path);
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new WorkspacePathException($"path '{Printable(recordedAs ?? path)}' leads outside the workspace {Root}; refusing to use it");
        }

        var current = Root;
        foreach (var part in full[rootWithSeparator.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null || (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0))
            {
                throw new WorkspacePathException($"{Relative(current)} in workspace {Root} is a symbolic link; links inside the workspace are refused, not followed");
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                break; // nothing further exists yet, so nothing further can be a link
            }
        }

        return full;
    }

    private static void CheckName(string kind, string name, string shown)
    {
        if (KubernetesNames.Problem(kind, name) is { } problem)
        {
            throw new WorkspacePathException($"{kind} '{Printable(shown)}': metadata.name '{Printable(name)}' {problem}; the API server refuses such a name, so it is never used as a workspace path");
        }
    }

    private static string Printable(string text) => KubernetesNames.Printable(text);
}
