using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// Answers SelfSubjectAccessReviews (what <c>kubectl auth can-i</c> and the tools' preflight checks send) from
/// configurable <see cref="AccessRules"/>. The rules only shape the answers; requests themselves are not authorised.
/// </summary>
public sealed class AccessReviewer(AccessRules rules)
{
    private AccessRules _rules = rules;

    public AccessRules Rules
    {
        get => Volatile.Read(ref _rules);
        set => Volatile.Write(ref _rules, value);
    }

    public JsonObject Review(JsonObject review)
    {
        var attributes = review.At("spec", "resourceAttributes") as JsonObject;
        bool allowed;
        string reason;
        if (attributes is not null)
        {
            var verb = attributes.Str("verb") ?? string.Empty;
            var group = attributes.Str("group") ?? string.Empty;
            var resource = attributes.Str("resource") ?? string.Empty;
            var ns = attributes.Str("namespace") is { Length: > 0 } n ? n : null;
            var name = attributes.Str("name") is { Length: > 0 } named ? named : null;
            allowed = Rules.Allows(verb, group, resource, ns, name);
            // RBAC gives no reason when it denies (kubectl then prints a bare "no"); keep that shape.
            reason = allowed ? "allowed by simulator rules" : string.Empty;
        }
        else
        {
            allowed = Rules.Default;
            reason = "non-resource request: simulator default";
        }

        var result = (JsonObject)review.DeepClone();
        result["apiVersion"] = "authorization.k8s.io/v1";
        result["kind"] = "SelfSubjectAccessReview";
        result["metadata"] ??= new JsonObject();
        result["status"] = reason.Length > 0 ? new JsonObject { ["allowed"] = allowed, ["reason"] = reason } : new JsonObject { ["allowed"] = allowed };
        if (!allowed)
        {
            result["status"]!["denied"] = false; // "no opinion" as RBAC reports it, not an explicit deny
        }

        return result;
    }

    public static AccessRules Parse(JsonNode? body)
    {
        if (body is not JsonObject o)
        {
            throw new FormatException("access rules must be a JSON object {\"default\":bool,\"rules\":[...]}");
        }

        var rules = new List<AccessRule>();
        foreach (var rule in (o["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            rules.Add(new AccessRule(
                rule.Str("verb") ?? "*",
                rule.Str("group") ?? "*",
                rule.Str("resource") ?? "*",
                rule.Str("namespace"),
                rule["allowed"]?.GetValue<bool>() ?? true,
                rule["names"] is JsonArray names ? [.. names.Select(n => n?.GetValue<string>() ?? string.Empty)] : null));
        }

        return new AccessRules(rules, o["default"]?.GetValue<bool>() ?? true);
    }
}
