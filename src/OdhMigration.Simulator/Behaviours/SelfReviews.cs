using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// The create-only review kinds beyond SelfSubjectAccessReview: SelfSubjectRulesReview (<c>kubectl auth can-i
/// --list</c>) lists what the access rules allow in a namespace, and SelfSubjectReview (<c>kubectl auth whoami</c>)
/// names the caller (k8s.io/kubernetes pkg/registry/authorization/selfsubjectrulesreview/rest.go,
/// pkg/registry/authentication/selfsubjectreview/rest.go).
/// </summary>
public static class SelfReviews
{
    /// <summary>The identity every request is made as (the 403 Forbidden messages use the same name).</summary>
    public const string UserName = "system:serviceaccount:simulator";

    public static readonly ResourceKind SelfSubjectRulesReview = new("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false);

    public static readonly ResourceKind SelfSubjectReview = new("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false);

    public static IReadOnlyList<ResourceKind> Kinds { get; } = [SelfSubjectRulesReview, SelfSubjectReview];

    /// <summary>The answer to a review of <paramref name="kind"/>; null when the kind is not one of these.</summary>
    public static JsonObject? Answer(ResourceKind kind, JsonObject review, AccessRules rules)
    {
        if (kind.GroupResource == SelfSubjectReview.GroupResource)
        {
            return new JsonObject
            {
                ["kind"] = kind.Kind,
                ["apiVersion"] = kind.ApiVersion,
                ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
                ["status"] = new JsonObject
                {
                    ["userInfo"] = new JsonObject { ["username"] = UserName, ["groups"] = new JsonArray("system:serviceaccounts", "system:authenticated") },
                },
            };
        }

        if (kind.GroupResource != SelfSubjectRulesReview.GroupResource)
        {
            return null;
        }

        var ns = review.At("spec", "namespace")?.ToString();
        if (string.IsNullOrEmpty(ns))
        {
            throw new Store.ApiException(400, "BadRequest", "no namespace on request");
        }

        var resourceRules = new JsonArray();
        foreach (var rule in rules.Rules.Where(r => r.Allowed && (r.Namespace is null || r.Namespace == "*" || r.Namespace == ns)))
        {
            resourceRules.Add((JsonNode)ResourceRule(rule.Verb, rule.Group, rule.Resource));
        }

        if (rules.Default)
        {
            resourceRules.Add((JsonNode)ResourceRule("*", "*", "*"));
        }

        var status = new JsonObject
        {
            ["resourceRules"] = resourceRules,
            ["nonResourceRules"] = new JsonArray(new JsonObject
            {
                ["verbs"] = new JsonArray("get"),
                ["nonResourceURLs"] = new JsonArray("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"),
            }),
            ["incomplete"] = false,
        };
        if (rules.Default && rules.Rules.Any(r => !r.Allowed))
        {
            // RBAC rules only add permissions; a deny before an allow-all default cannot be listed as rules.
            status["incomplete"] = true;
            status["evaluationError"] = "the simulator's deny rules cannot be expressed as RBAC rules; the list over-states access";
        }

        return new JsonObject
        {
            ["kind"] = kind.Kind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = new JsonObject { ["namespace"] = ns },
            ["status"] = status,
        };
    }

    private static JsonObject ResourceRule(string verb, string group, string resource) => new()
    {
        ["verbs"] = new JsonArray(verb),
        ["apiGroups"] = new JsonArray(group),
        ["resources"] = new JsonArray(resource),
    };
}
