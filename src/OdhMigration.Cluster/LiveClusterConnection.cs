using k8s;

namespace OdhMigration.Cluster;

/// <summary>How to reach a live cluster: kubeconfig (optionally a context), or the pod's service account.</summary>
public sealed record LiveClusterConnection(string? KubeconfigPath, string? Context)
{
    /// <summary>
    /// In a pod with no explicit kubeconfig, the service account; otherwise --kubeconfig, then $KUBECONFIG,
    /// then ~/.kube/config (KubernetesClient's own default order).
    /// </summary>
    public KubernetesClientConfiguration BuildConfiguration()
    {
        if (KubeconfigPath is null && Context is null && KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var path = KubeconfigPath ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0);
        return path is null
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: Context)
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(path, Context);
    }
}
