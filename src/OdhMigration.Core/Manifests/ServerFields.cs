using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>Removes what the API server owns, so a saved copy re-applies cleanly.</summary>
public static class ServerFields
{
    public const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] MetadataFields =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    /// <summary>Strips status and server-maintained metadata; returns the ownerReferences it removed (for a sidecar record).</summary>
    public static JsonArray? StripForBackup(JsonObject obj)
    {
        obj.Remove("status");
        var metadata = obj.Metadata();
        foreach (var field in MetadataFields)
        {
            metadata.Remove(field);
        }

        obj.RemoveAnnotation(LastApplied);
        var owners = metadata["ownerReferences"] as JsonArray;
        metadata.Remove("ownerReferences");
        return owners?.DeepClone().AsArray();
    }

    /// <summary>Strips everything a newly created object must not carry, finalizers and ownerReferences included.</summary>
    public static void StripForNewObject(JsonObject obj)
    {
        StripForBackup(obj);
        obj.Metadata().Remove("finalizers");
    }
}
