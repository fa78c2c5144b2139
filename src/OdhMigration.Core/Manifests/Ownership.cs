using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>Who wrote an object, read from metadata.managedFields.</summary>
public static class Ownership
{
    /// <summary>The field manager apply writes with unless --field-manager says otherwise; cleanup recognises its own replacements by it.</summary>
    public const string DefaultFieldManager = "odh-migration";

    public static bool IsManagedBy(JsonObject obj, string fieldManager) =>
        obj.At("metadata", "managedFields") is JsonArray fields && fields.OfType<JsonObject>().Any(f => f.Str("manager") == fieldManager);
}
