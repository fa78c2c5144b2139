namespace OdhMigration.Core.Manifests;

/// <summary>Every resource type the suite reads or writes.</summary>
public static class Kinds
{
    public static readonly ResourceKind Namespace = new("", "v1", "Namespace", "namespaces", false, ["ns"]);
    public static readonly ResourceKind Secret = new("", "v1", "Secret", "secrets", true);
    public static readonly ResourceKind ServiceAccount = new("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"]);
    public static readonly ResourceKind ConfigMap = new("", "v1", "ConfigMap", "configmaps", true, ["cm"]);
    public static readonly ResourceKind Service = new("", "v1", "Service", "services", true, ["svc"]);
    public static readonly ResourceKind Pod = new("", "v1", "Pod", "pods", true, ["po"]);
    public static readonly ResourceKind Node = new("", "v1", "Node", "nodes", false, ["no"]);
    public static readonly ResourceKind ResourceQuota = new("", "v1", "ResourceQuota", "resourcequotas", true, ["quota"]);
    public static readonly ResourceKind LimitRange = new("", "v1", "LimitRange", "limitranges", true, ["limits"]);
    public static readonly ResourceKind PersistentVolumeClaim = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"]);
    public static readonly ResourceKind Role = new("rbac.authorization.k8s.io", "v1", "Role", "roles", true);
    public static readonly ResourceKind RoleBinding = new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
    public static readonly ResourceKind InferenceService = new("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", true, ["isvc"]);
    public static readonly ResourceKind ServingRuntime = new("serving.kserve.io", "v1alpha1", "ServingRuntime", "servingruntimes", true);

    /// <summary>ModelMesh's own model object (modelmesh-serving); read only to report it, never migrated.</summary>
    public static readonly ResourceKind Predictor = new("serving.kserve.io", "v1alpha1", "Predictor", "predictors", true);
    public static readonly ResourceKind Route = new("route.openshift.io", "v1", "Route", "routes", true);
    public static readonly ResourceKind Template = new("template.openshift.io", "v1", "Template", "templates", true);
    public static readonly ResourceKind DataScienceCluster = new("datasciencecluster.opendatahub.io", "v1", "DataScienceCluster", "datascienceclusters", false, ["dsc"]);
    public static readonly ResourceKind DSCInitialization = new("dscinitialization.opendatahub.io", "v1", "DSCInitialization", "dscinitializations", false, ["dsci"]);
    public static readonly ResourceKind VirtualService = new("networking.istio.io", "v1beta1", "VirtualService", "virtualservices", true, ["vs"]);
    public static readonly ResourceKind Subscription = new("operators.coreos.com", "v1alpha1", "Subscription", "subscriptions", true, ["sub"]);
    public static readonly ResourceKind ClusterServiceVersion = new("operators.coreos.com", "v1alpha1", "ClusterServiceVersion", "clusterserviceversions", true, ["csv"]);
    public static readonly ResourceKind SelfSubjectAccessReview = new("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false);

    public static IReadOnlyList<ResourceKind> All { get; } =
    [
        Namespace, Secret, ServiceAccount, ConfigMap, Service, Pod, Node, ResourceQuota, LimitRange, PersistentVolumeClaim, Role, RoleBinding,
        InferenceService, ServingRuntime, Predictor, Route, Template, DataScienceCluster, DSCInitialization, VirtualService,
        Subscription, ClusterServiceVersion, SelfSubjectAccessReview,
    ];

    /// <summary>Finds the known kind for an object's apiVersion and kind, or null.</summary>
    public static ResourceKind? Find(string? apiVersion, string? kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind)
        ?? All.FirstOrDefault(k => k.Kind == kind && apiVersion is not null && apiVersion.StartsWith(k.Group.Length == 0 ? "v" : k.Group + "/", StringComparison.Ordinal));
}
