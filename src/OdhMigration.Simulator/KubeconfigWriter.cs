namespace OdhMigration.Simulator;

/// <summary>
/// Renders a kubeconfig for a simulator: cluster, user and context all named "simulator", plain http (kubectl and
/// KubernetesClient accept http:// servers) and a bearer token the simulator accepts without checking.
/// </summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string token, string defaultNamespace) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: simulator
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: simulator
          user:
            token: {token}
        contexts:
        - name: simulator
          context:
            cluster: simulator
            user: simulator
            namespace: {defaultNamespace}
        current-context: simulator
        preferences: {"{}"}

        """;
}
