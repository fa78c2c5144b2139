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
    public const string ServiceAccountNameAnnotation = "kubernetes.io/service-account.name";

    public sealed record AuthObjects(JsonObject? ServiceAccount, JsonObject? Role, JsonObject? RoleBinding, IReadOnlyList<JsonObject> TokenSecrets);

    public static AuthObjects Find(JsonObject isvc, string mode, string? runtimeName, NamespaceObjects objects) =>
        Find(isvc, mode, runtimeName, new AuthIndex(objects));

    public static AuthObjects Find(JsonObject isvc, string mode, string? runtimeName, AuthIndex index)
    {
        var uid = isvc.Uid();
        var baseName = mode == DeploymentMode.ModelMesh && runtimeName is not null ? runtimeName : isvc.Name();
        var sa = index.ServiceAccounts.Find(uid, $"{baseName}-sa");
        var role = index.Roles.Find(uid, $"{baseName}-view-role");
        var binding = index.RoleBindings.Find(uid, $"{baseName}-view");
        var tokens = sa is null ? [] : index.TokensFor(sa.Name());
        return new AuthObjects(sa, role, binding, tokens);
    }

    /// <summary>The auth candidates of one namespace indexed by owner uid and by name, built once per namespace.</summary>
    public sealed class AuthIndex
    {
        private readonly Dictionary<string, List<JsonObject>> _tokensBySa;

        public AuthIndex(NamespaceObjects objects)
        {
            ServiceAccounts = new OwnedObjects(objects.ServiceAccounts);
            Roles = new OwnedObjects(objects.Roles);
            RoleBindings = new OwnedObjects(objects.RoleBindings);
            _tokensBySa = objects.Secrets
                .Where(s => s.Str("type") == "kubernetes.io/service-account-token" && s.Annotation(ServiceAccountNameAnnotation) is not null)
                .GroupBy(s => s.Annotation(ServiceAccountNameAnnotation)!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Name(), StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        }

        public OwnedObjects ServiceAccounts { get; }
        public OwnedObjects Roles { get; }
        public OwnedObjects RoleBindings { get; }

        public IReadOnlyList<JsonObject> TokensFor(string serviceAccount) =>
            _tokensBySa.TryGetValue(serviceAccount, out var tokens) ? tokens : [];
    }

    public sealed class OwnedObjects
    {
        private readonly Dictionary<string, JsonObject> _byOwner = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonObject> _byName = new(StringComparer.Ordinal);

        public OwnedObjects(IEnumerable<JsonObject> candidates)
        {
            foreach (var candidate in candidates.OrderBy(c => c.Name(), StringComparer.Ordinal))
            {
                _byName.TryAdd(candidate.Name(), candidate);
                foreach (var owner in candidate.OwnerReferences())
                {
                    if (owner.Str("uid") is { } uid)
                    {
                        _byOwner.TryAdd(uid, candidate); // first by name wins, as before
                    }
                }
            }
        }

        public JsonObject? Find(string? ownerUid, string fallbackName) =>
            (ownerUid is not null && _byOwner.TryGetValue(ownerUid, out var owned) ? owned : null)
            ?? _byName.GetValueOrDefault(fallbackName);
    }
}
