using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>The resource types this server serves: <see cref="Kinds.All"/> plus kinds registered by CRDs in the snapshot.</summary>
public sealed class KindRegistry
{
    private readonly Dictionary<string, ResourceKind> _byPath = new(StringComparer.Ordinal);
    private readonly List<ResourceKind> _all = [];

    public KindRegistry(IEnumerable<ResourceKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (_byPath.TryAdd(PathKey(kind.Group, kind.Version, kind.Plural), kind))
            {
                _all.Add(kind);
            }
        }
    }

    public IReadOnlyList<ResourceKind> All => _all;

    public ResourceKind? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault(PathKey(group, version, plural));

    public ResourceKind? FindByKind(string? apiVersion, string? kind) =>
        _all.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    /// <summary>Kinds that are virtual (create-only reviews) and therefore never stored.</summary>
    public static bool IsVirtual(ResourceKind kind) => kind.Group is "authorization.k8s.io" or "authentication.k8s.io";

    /// <summary>
    /// Whether the kind has a status subresource. Custom resources (KServe, OpenShift, ODH, Istio, OLM) and the core
    /// workload-like kinds do; plain data kinds (ConfigMap, Secret, ServiceAccount, RBAC, Template) do not.
    /// </summary>
    public static bool HasStatus(ResourceKind kind) => kind.Group switch
    {
        "" => kind.Plural is "namespaces" or "services" or "pods" or "persistentvolumeclaims",
        "rbac.authorization.k8s.io" or "template.openshift.io" or "authorization.k8s.io" => false,
        _ => true,
    };

    /// <summary>
    /// Whether the kind is served from a CustomResourceDefinition (no strategic merge patch, no unconditional update).
    /// Core, RBAC and authorization kinds are built in; Route and Template are built into OpenShift's API server.
    /// </summary>
    public static bool IsCustomResource(ResourceKind kind) =>
        kind.Group is not ("" or "rbac.authorization.k8s.io" or "authorization.k8s.io" or "route.openshift.io" or "template.openshift.io");

    /// <summary>metadata.generation is maintained for custom resources (as the API server does for CRDs).</summary>
    public static bool HasGeneration(ResourceKind kind) => kind.Group.Length > 0 && HasStatus(kind);

    private static string PathKey(string group, string version, string plural) => $"{group}/{version}/{plural}";
}
