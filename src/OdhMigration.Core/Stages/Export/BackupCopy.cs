using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Export;

/// <summary>Makes a saved copy that re-applies cleanly: server-owned fields go, ownerReferences go to a sidecar record.</summary>
public static class BackupCopy
{
    public const string InternalRegistryPullSecretRef = "openshift.io/internal-registry-pull-secret-ref";

    /// <summary>A cleaned deep copy, and the ownerReferences it had (null when none).</summary>
    public static (JsonObject Copy, JsonArray? OwnerReferences) Make(JsonObject obj)
    {
        var copy = obj.DeepCopy();
        var owners = ServerFields.StripForBackup(copy);
        if (copy.Kind() == "ServiceAccount")
        {
            CleanServiceAccount(copy);
        }

        return (copy, owners);
    }

    /// <summary>
    /// OpenShift adds a token and a dockercfg pull secret to every ServiceAccount and regenerates them for a new one;
    /// restoring the old references would point at Secrets that are gone. Pull secrets a person added are kept.
    /// </summary>
    private static void CleanServiceAccount(JsonObject sa)
    {
        var name = sa.Name();
        sa.Remove("secrets");
        sa.RemoveAnnotation(InternalRegistryPullSecretRef);
        if (sa["imagePullSecrets"] is JsonArray pulls)
        {
            var kept = pulls.OfType<JsonObject>().Where(p => p.Str("name") is not { } n || !n.StartsWith($"{name}-dockercfg-", StringComparison.Ordinal)).Select(p => p.DeepClone()).ToList();
            if (kept.Count == 0)
            {
                sa.Remove("imagePullSecrets");
            }
            else
            {
                sa["imagePullSecrets"] = new JsonArray([.. kept]);
            }
        }
    }
}
