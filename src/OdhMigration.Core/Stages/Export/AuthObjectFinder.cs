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
    /// <summary>Indexes hold positions in the listings, never the objects, so they stay small at any scale.</summary>
    public sealed class AuthIndex
    {
        private readonly IReadOnlyList<JsonObject> _secrets;
        private readonly Dictionary<string, List<(string Name, int Position)>> _tokensBySa = new(StringComparer.Ordinal);

        public AuthIndex(NamespaceObjects objects)
        {
            ServiceAccounts = new OwnedObjects(objects.ServiceAccounts);
            Roles = new OwnedObjects(objects.Roles);
            RoleBindings = new OwnedObjects(objects.RoleBindings);
            _secrets = objects.Secrets;
            for (var i = 0; i < _secrets.Count; i++)
            {
                var secret = _secrets[i];
                if (secret.Str("type") == "kubernetes.io/service-account-token" && secret.Annotation(ServiceAccountNameAnnotation) is { } account)
                {
                    if (!_tokensBySa.TryGetValue(account, out var tokens))
                    {
                        _tokensBySa[account] = tokens = [];
                    }

                    tokens.Add((secret.Name(), i));
                }
            }

            foreach (var tokens in _tokensBySa.Values)
            {
                tokens.Sort((a, b) => StringComparer.Ordinal.Compare(a.Name, b.Name));
            }
        }

        public OwnedObjects ServiceAccounts { get; }
        public OwnedObjects Roles { get; }
        public OwnedObjects RoleBindings { get; }

        public IReadOnlyList<JsonObject> TokensFor(string serviceAccount) =>
            _tokensBySa.TryGetValue(serviceAccount, out var tokens) ? tokens.Select(t => _secrets[t.Position]).ToList() : [];
    }

    public sealed class OwnedObjects
    {
        private readonly IReadOnlyList<JsonObject> _candidates;
        private readonly Dictionary<string, int> _byOwner = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

        public OwnedObjects(IReadOnlyList<JsonObject> candidates)
        {
            _candidates = candidates;
            var identities = new List<(string Name, int Position, List<string> OwnerUids)>(candidates.Count);
            for (var i = 0; i < candidates.Count; i++)
            {
                var candidate = candidates[i];
                identities.Add((candidate.Name(), i, candidate.OwnerReferences().Select(o => o.Str("uid")).OfType<string>().ToList()));
            }

            foreach (var (name, position, owners) in identities.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                _byName.TryAdd(name, position);
                foreach (var uid in owners)
                {
                    _byOwner.TryAdd(uid, position); // first by name wins, as before
                }
            }
        }

        public JsonObject? Find(string? ownerUid, string fallbackName) =>
            ownerUid is not null && _byOwner.TryGetValue(ownerUid, out var owned) ? _candidates[owned]
            : _byName.TryGetValue(fallbackName, out var named) ? _candidates[named]
            : null;
    }
}
