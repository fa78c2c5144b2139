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
        // ServiceAccounts keep their generated secrets/imagePullSecrets references: the backup stays faithful and
        // the transforms decide (and report) what a new account must not carry.
        return (copy, ServerFields.StripForBackup(copy));
    }
}
