using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// Writes &lt;ns&gt;/_namespace/: what lives in a namespace beside its InferenceServices and would not follow them to a
/// new namespace (claims, dashboard permissions, data connections, runtimes). Facts for the report and the
/// new-namespace strategy; no stage applies them. Secrets are always data-free here.
/// </summary>
public static class NamespaceFactsWriter
{
    public const string DashboardLabel = "opendatahub.io/dashboard";
    public const string ConnectionTypeAnnotation = "opendatahub.io/connection-type";
    public const string ConnectionTypeRefAnnotation = "opendatahub.io/connection-type-ref";
    public const string PvcsFile = NamespaceFactsFiles.Pvcs;

    /// <summary>The dashboard "Permissions" RoleBindings; named for what it holds (the ModelMesh transform reads it).</summary>
    public const string PermissionsFile = NamespaceFactsFiles.Permissions;

    /// <summary>Facts-only annotation on the copies in pvcs.yaml: the pods that mount the claim, comma-separated.</summary>
    public const string MountedByAnnotation = NamespaceFactsFiles.MountedByAnnotation;

    public static async Task<List<ExportedFile>> WriteAsync(WorkspaceLayout layout, NamespaceObjects objects, CancellationToken ct)
    {
        var dir = layout.NamespaceFacts(objects.Namespace);
        var files = new List<ExportedFile>();
        if (objects.NamespaceObject is { } ns)
        {
            files.Add(await WriteAsync(layout, dir, "namespace.yaml", ExportRoles.Namespace, "Namespace", objects.Namespace, BackupCopy.Make(ns).Copy, ct).ConfigureAwait(false));
        }

        files.Add(await WriteAsync(layout, dir, "servingruntimes.yaml", ExportRoles.Runtimes, "List", objects.Namespace, List(objects.ServingRuntimes.Select(r => BackupCopy.Make(r).Copy)), ct).ConfigureAwait(false));
        files.Add(await WriteAsync(layout, dir, PvcsFile, ExportRoles.Pvcs, "List", objects.Namespace, List(Pvcs(objects)), ct).ConfigureAwait(false));
        files.Add(await WriteAsync(layout, dir, PermissionsFile, ExportRoles.Permissions, "List", objects.Namespace, List(Permissions(objects).Select(b => BackupCopy.Make(b).Copy)), ct).ConfigureAwait(false));
        files.Add(await WriteAsync(layout, dir, NamespaceFactsFiles.DataConnections, ExportRoles.DataConnections, "List", objects.Namespace, List(DataConnections(objects).Select(s => BackupCopy.Make(SecretSanitizer.WithoutData(s)).Copy)), ct).ConfigureAwait(false));
        return files;
    }

    /// <summary>RoleBindings granting Users or Groups access: what the dashboard's Permissions tab shows.</summary>
    public static IEnumerable<JsonObject> Permissions(NamespaceObjects objects) =>
        objects.RoleBindings
            .Where(b => b["subjects"] is JsonArray subjects && subjects.Any(s => s.Str("kind") is "User" or "Group"))
            .OrderBy(b => b.Name(), StringComparer.Ordinal);

    /// <summary>Dashboard data connections: dashboard-labelled Secrets with a connection type (or the older aws-connection- naming).</summary>
    public static IEnumerable<JsonObject> DataConnections(NamespaceObjects objects) =>
        objects.Secrets
            .Where(s => s.Label(DashboardLabel) == "true")
            .Where(s => s.Str("type") != "kubernetes.io/service-account-token")
            .Where(s => s.Annotation(ConnectionTypeAnnotation) is not null || s.Annotation(ConnectionTypeRefAnnotation) is not null || s.Name().StartsWith("aws-connection-", StringComparison.Ordinal))
            .OrderBy(s => s.Name(), StringComparer.Ordinal);

    /// <summary>
    /// The claims as cleaned PVC objects (name, accessModes, storageClassName, requested size in spec, capacity in
    /// status), each annotated with the pods that mount it when pods could be listed.
    /// </summary>
    public static IEnumerable<JsonObject> Pvcs(NamespaceObjects objects)
    {
        var mountedBy = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var pod in objects.Pods ?? [])
        {
            if (pod.At("spec", "volumes") is not JsonArray volumes)
            {
                continue;
            }

            foreach (var claim in volumes.Select(v => v.At("persistentVolumeClaim").Str("claimName")).OfType<string>())
            {
                if (!mountedBy.TryGetValue(claim, out var pods))
                {
                    mountedBy[claim] = pods = new SortedSet<string>(StringComparer.Ordinal);
                }

                pods.Add(pod.Name());
            }
        }

        foreach (var pvc in objects.PersistentVolumeClaims.OrderBy(p => p.Name(), StringComparer.Ordinal))
        {
            var capacity = pvc.At("status", "capacity")?.DeepClone();
            var copy = BackupCopy.Make(pvc).Copy;
            if (capacity is not null)
            {
                copy["status"] = new JsonObject { ["capacity"] = capacity };
            }

            if (objects.Pods is not null)
            {
                copy.SetAnnotation(MountedByAnnotation, string.Join(",", mountedBy.GetValueOrDefault(pvc.Name()) ?? []));
            }

            yield return copy;
        }
    }

    private static JsonObject List(IEnumerable<JsonObject> items) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. items]) };

    private static async Task<ExportedFile> WriteAsync(WorkspaceLayout layout, string dir, string fileName, string role, string kind, string ns, JsonObject content, CancellationToken ct)
    {
        var path = layout.Contained(Path.Combine(dir, fileName));
        var text = Yaml.Serialize(content);
        await WorkspaceDocuments.WriteTextAtomicAsync(path, text, cancellationToken: ct).ConfigureAwait(false);
        return new ExportedFile(layout.Relative(path), Hashing.Sha256Hex(text), role, kind, fileName, ns);
    }
}
