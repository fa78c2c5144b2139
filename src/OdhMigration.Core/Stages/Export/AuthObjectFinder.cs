using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// Finds an ISVC's dashboard auth objects: by ownerReference to the ISVC's uid first (what the dashboard sets),
/// then by the dashboard's names. ModelMesh keeps them per runtime (&lt;runtime&gt;-sa, &lt;runtime&gt;-view).
/// </summary>
public static class AuthObjectFinder
{
    public sealed record AuthObjects(JsonObject? ServiceAccount, JsonObject? Role, JsonObject? RoleBinding, IReadOnlyList<JsonObject> TokenSecrets);

    public static AuthObjects Find(JsonObject isvc, string mode, string? runtimeName, NamespaceObjects objects)
    {
        var uid = isvc.Uid();
        var baseName = mode == DeploymentMode.ModelMesh && runtimeName is not null ? runtimeName : isvc.Name();
        var sa = ByOwnerOrName(objects.ServiceAccounts, uid, $"{baseName}-sa");
        var role = ByOwnerOrName(objects.Roles, uid, $"{baseName}-view-role");
        var binding = ByOwnerOrName(objects.RoleBindings, uid, $"{baseName}-view");
        var tokens = sa is null
            ? []
            : objects.Secrets
                .Where(s => s.Str("type") == "kubernetes.io/service-account-token" && s.Annotation("kubernetes.io/service-account.name") == sa.Name())
                .OrderBy(s => s.Name(), StringComparer.Ordinal)
                .ToList();
        return new AuthObjects(sa, role, binding, tokens);
    }

    private static JsonObject? ByOwnerOrName(IReadOnlyList<JsonObject> candidates, string? ownerUid, string fallbackName) =>
        candidates.Where(c => c.IsOwnedBy(ownerUid)).OrderBy(c => c.Name(), StringComparer.Ordinal).FirstOrDefault()
        ?? candidates.FirstOrDefault(c => c.Name() == fallbackName);
}

/// <summary>Everything export needs from one namespace, listed once per kind.</summary>
public sealed record NamespaceObjects(
    string Namespace,
    JsonObject? NamespaceObject,
    IReadOnlyList<JsonObject> InferenceServices,
    IReadOnlyList<JsonObject> ServingRuntimes,
    IReadOnlyList<JsonObject> ServiceAccounts,
    IReadOnlyList<JsonObject> Roles,
    IReadOnlyList<JsonObject> RoleBindings,
    IReadOnlyList<JsonObject> Secrets);
