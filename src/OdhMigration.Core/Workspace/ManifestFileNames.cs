using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// File names inside a YAML folder. The numeric prefix makes <c>oc apply -f &lt;dir&gt;</c> (which walks a folder in
/// lexical order) create objects in a safe order: a namespace before what lives in it, a service account before
/// the binding that names it, the runtime before the InferenceService that uses it, and the token Secret last,
/// once its service account exists.
/// </summary>
public static class ManifestFileNames
{
    public const int TokenSecretOrder = 80;

    public static int Order(string kind) => kind switch
    {
        "Namespace" => 0,
        "PersistentVolumeClaim" => 5,
        "Secret" => 10,
        "ConfigMap" => 15,
        "ServiceAccount" => 20,
        "Role" => 30,
        "RoleBinding" => 40,
        "ServingRuntime" => 50,
        "InferenceService" => 60,
        "Route" => 70,
        _ => 75,
    };

    public static string For(string kind, string name, bool isTokenSecret = false)
    {
        var order = isTokenSecret ? TokenSecretOrder : Order(kind);
        var suffix = isTokenSecret ? "token-secret" : kind.ToLowerInvariant();
        return $"{order:D2}-{suffix}-{name}.yaml";
    }

    public static bool IsTokenSecret(System.Text.Json.Nodes.JsonObject obj) =>
        obj.Kind() == "Secret" && obj.Str("type") == "kubernetes.io/service-account-token";
}
