using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>The names of one output's auth objects, and how a token Secret name maps into it.</summary>
public sealed record AuthNames(string ServiceAccount, string Role, string RoleBinding, Func<string, string> TokenSecret);

/// <summary>
/// Rebuilds the dashboard's token-auth objects (ServiceAccount, Role, RoleBinding, token Secrets) for a new ISVC
/// name. Works on what export found (by ownerReference, then dashboard names); fills in dashboard-shaped objects
/// for any that are missing, so the new ISVC accepts tokens. Token Secrets are data-free: the cluster mints a new
/// token for the new ServiceAccount, old tokens are never copied.
/// </summary>
public static class ServerlessAuth
{
    public const string DashboardLabel = "opendatahub.io/dashboard";
    public const string DisplayNameKey = "openshift.io/display-name";
    public const string ServiceAccountNameKey = "kubernetes.io/service-account.name";
    public const string TokenType = "kubernetes.io/service-account-token";

    /// <summary>The dashboard's default token name, used when an old token Secret had no display name.</summary>
    public const string DefaultTokenDisplayName = "default-name";

    public sealed record Originals(JsonObject? ServiceAccount, JsonObject? Role, JsonObject? RoleBinding, IReadOnlyList<JsonObject> TokenSecrets);

    public static Originals From(TransformContext context) => new(
        context.Find(ExportRoles.ServiceAccount)?.Object,
        context.Find(ExportRoles.Role)?.Object,
        context.Find(ExportRoles.RoleBinding)?.Object,
        context.All(ExportRoles.TokenSecret).Select(s => s.Object).OrderBy(s => s.Name(), StringComparer.Ordinal).ToList());

    /// <summary>The names the objects had (the dashboard's names where one is missing).</summary>
    public static AuthNames OriginalNames(Originals originals, string isvcName) => new(
        originals.ServiceAccount?.Name() ?? $"{isvcName}-sa",
        originals.Role?.Name() ?? $"{isvcName}-view-role",
        originals.RoleBinding?.Name() ?? $"{isvcName}-view",
        old => old);

    /// <summary>Names derived from the new ISVC name, as the dashboard would have chosen them.</summary>
    public static AuthNames DerivedNames(Originals originals, string newIsvcName)
    {
        var oldSa = originals.ServiceAccount?.Name();
        var newSa = $"{newIsvcName}-sa";
        return new AuthNames(newSa, $"{newIsvcName}-view-role", $"{newIsvcName}-view", old =>
            oldSa is not null && old.EndsWith("-" + oldSa, StringComparison.Ordinal) ? old[..^oldSa.Length] + newSa : $"{old}-raw");
    }

    public static List<JsonObject> Build(Originals originals, AuthNames names, string oldIsvcName, string newIsvcName, string ns, List<string> changes, List<string> warnings, bool report)
    {
        var result = new List<JsonObject>
        {
            ServiceAccount(originals, names, ns, changes, warnings, report),
            Role(originals, names, oldIsvcName, newIsvcName, ns, warnings, report),
            RoleBinding(originals, names, ns, warnings, report),
        };
        result.AddRange(originals.TokenSecrets.Select(old => TokenSecret(old, names, ns)));
        if (report && originals.TokenSecrets.Count == 0)
        {
            warnings.Add("auth is enabled but no token Secret exists for the ServiceAccount: none is created; create a token in the dashboard after apply");
        }

        return result;
    }

    private static JsonObject ServiceAccount(Originals originals, AuthNames names, string ns, List<string> changes, List<string> warnings, bool report)
    {
        if (originals.ServiceAccount is not { } old)
        {
            if (report)
            {
                warnings.Add($"auth is enabled but export found no ServiceAccount; a dashboard-shaped ServiceAccount {names.ServiceAccount} is created");
            }

            var created = Manifest.NewObject(Kinds.ServiceAccount, names.ServiceAccount, ns);
            created.SetLabel(DashboardLabel, "true");
            return created;
        }

        var sa = Renamed(old, names.ServiceAccount, ns);
        sa.RemoveAnnotation("openshift.io/internal-registry-pull-secret-ref");

        // OpenShift adds <sa>-dockercfg-* and <sa>-token-* references itself; copying them would point at the old
        // ServiceAccount's Secrets. References a user added (e.g. storage credentials) are kept.
        foreach (var listName in new[] { "secrets", "imagePullSecrets" })
        {
            if (sa[listName] is not JsonArray list)
            {
                continue;
            }

            foreach (var entry in list.OfType<JsonObject>().Where(e => IsGenerated(e.Str("name"), old.Name())).ToList())
            {
                list.Remove(entry);
                if (report)
                {
                    changes.Add($"ServiceAccount: dropped generated {listName} reference {entry.Str("name")}");
                }
            }

            if (list.Count == 0)
            {
                sa.Remove(listName);
            }
        }

        return sa;
    }

    private static JsonObject Role(Originals originals, AuthNames names, string oldIsvcName, string newIsvcName, string ns, List<string> warnings, bool report)
    {
        if (originals.Role is not { } old)
        {
            if (report)
            {
                warnings.Add($"auth is enabled but export found no Role; a dashboard-shaped Role {names.Role} (get on this InferenceService) is created");
            }

            var created = Manifest.NewObject(Kinds.Role, names.Role, ns);
            created.SetLabel(DashboardLabel, "true");
            created["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray("serving.kserve.io"),
                ["resources"] = new JsonArray("inferenceservices"),
                ["resourceNames"] = new JsonArray(newIsvcName),
                ["verbs"] = new JsonArray("get"),
            });
            return created;
        }

        var role = Renamed(old, names.Role, ns);
        var renamed = false;
        foreach (var rule in (role["rules"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var coversIsvcs = rule["resources"] is JsonArray resources && resources.Any(r => AsString(r) is "inferenceservices" or "*");
            if (!coversIsvcs || rule["resourceNames"] is not JsonArray resourceNames)
            {
                continue;
            }

            for (var i = 0; i < resourceNames.Count; i++)
            {
                if (AsString(resourceNames[i]) == oldIsvcName)
                {
                    resourceNames[i] = newIsvcName;
                    renamed = true;
                }
            }
        }

        if (!renamed && oldIsvcName != newIsvcName && report)
        {
            warnings.Add($"Role {old.Name()} names no InferenceService '{oldIsvcName}' in its rules; copied as {names.Role} without renaming resourceNames, check that it grants access to {newIsvcName}");
        }

        return role;
    }

    private static JsonObject RoleBinding(Originals originals, AuthNames names, string ns, List<string> warnings, bool report)
    {
        if (originals.RoleBinding is not { } old)
        {
            if (report)
            {
                warnings.Add($"auth is enabled but export found no RoleBinding; a dashboard-shaped RoleBinding {names.RoleBinding} is created");
            }

            var created = Manifest.NewObject(Kinds.RoleBinding, names.RoleBinding, ns);
            created.SetLabel(DashboardLabel, "true");
            created["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = names.Role };
            created["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = names.ServiceAccount, ["namespace"] = ns });
            return created;
        }

        var binding = Renamed(old, names.RoleBinding, ns);
        var oldSa = originals.ServiceAccount?.Name();
        foreach (var subject in (binding["subjects"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (subject.Str("kind") == "ServiceAccount" && subject.Str("name") == oldSa)
            {
                subject["name"] = names.ServiceAccount;
                subject["namespace"] = ns;
            }
        }

        if (binding["roleRef"] is JsonObject roleRef && roleRef.Str("kind") == "Role" && originals.Role is { } oldRole && roleRef.Str("name") == oldRole.Name())
        {
            roleRef["name"] = names.Role;
        }
        else if (report)
        {
            warnings.Add($"RoleBinding {old.Name()} does not refer to Role {originals.Role?.Name() ?? "(none found)"}; its roleRef is copied unchanged");
        }

        return binding;
    }

    private static JsonObject TokenSecret(JsonObject old, AuthNames names, string ns)
    {
        var secret = Manifest.NewObject(Kinds.Secret, names.TokenSecret(old.Name()), ns);
        secret.SetLabel(DashboardLabel, "true");
        secret.SetAnnotation(ServiceAccountNameKey, names.ServiceAccount);
        secret.SetAnnotation(DisplayNameKey, old.Annotation(DisplayNameKey) ?? DefaultTokenDisplayName);
        secret["type"] = TokenType;
        return secret;
    }

    private static JsonObject Renamed(JsonObject original, string name, string ns)
    {
        var copy = original.DeepCopy();
        ServerFields.StripForNewObject(copy);
        copy.Metadata()["name"] = name;
        copy.Metadata()["namespace"] = ns;
        return copy;
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool IsGenerated(string? name, string saName) =>
        name is not null && (name.StartsWith(saName + "-dockercfg-", StringComparison.Ordinal) || name.StartsWith(saName + "-token-", StringComparison.Ordinal));
}
