using System.Globalization;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>One <c>x-kubernetes-validations</c> entry of a schema node.</summary>
public sealed record CelRule(string Rule, string? Message, bool HasExtras)
{
    /// <summary>The one rule shape evaluated here: the immutability transition rule <c>self == oldSelf</c>.</summary>
    public bool IsImmutability => !HasExtras && string.Concat(Rule.Where(c => !char.IsWhiteSpace(c))) == "self==oldSelf";

    /// <summary>ruleMessageOrDefault (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go).</summary>
    public string Detail => Message is { Length: > 0 } m && m.Trim().Length > 0 ? m.Trim() : $"failed rule: {Rule.Trim()}";

    public static IReadOnlyList<CelRule> Compile(JsonObject node) =>
        node["x-kubernetes-validations"] is JsonArray rules
            ? rules.OfType<JsonObject>().Select(r => new CelRule(
                r["rule"]?.ToString() ?? string.Empty,
                r["message"]?.ToString(),
                r["messageExpression"] is not null || r["reason"] is not null || r["fieldPath"] is not null || r["optionalOldSelf"] is not null)).ToList()
            : [];
}

/// <summary>
/// The CEL validation step of kube-apiserver for custom resources (k8s.io/apiextensions-apiserver
/// pkg/apiserver/schema/cel/validation.go and pkg/registry/customresource/strategy.go as in Kubernetes 1.30), for the
/// only rule shape evaluated here: <c>self == oldSelf</c>, a transition rule that runs on update where the field
/// exists in both the new and the stored object (reached through object properties and map values; items of lists
/// are not correlated here) and fails as <c>spec.x: Invalid value: "string": &lt;message&gt;</c> (the value is the
/// schema type, as 1.30 prints it). Every other rule is <b>not evaluated</b>: it is reported once per simulator
/// through <c>unevaluated</c> and listed in docs/simulator.md. As the API server does, rules are not run when the
/// schema already found a blocking error (NotSupported, Required, TooLong, TooMany, TypeInvalid); that adds
/// <c>&lt;nil&gt;: Invalid value: "null": some validation rules were not checked because the object was invalid; ...</c>.
/// </summary>
internal sealed class CelRules(Action<string> unevaluated)
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal)
    {
        "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid",
    };

    private readonly HashSet<(StructuralSchema Schema, string Rule)> _reported = [];

    public void Validate(string kind, JsonObject candidate, JsonObject? previous, StructuralSchema schema, List<FieldError> errors)
    {
        if (!schema.HasRulesBelow)
        {
            return;
        }

        if (errors.Any(e => Blocking.Contains(e.Reason)))
        {
            errors.Add(new FieldError("FieldValueInvalid", "<nil>", "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
            return;
        }

        Walk(kind, candidate, previous, schema, string.Empty, errors);
    }

    private void Walk(string kind, JsonNode? node, JsonNode? old, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (node is null || !schema.HasRulesBelow)
        {
            return;
        }

        foreach (var rule in schema.Rules)
        {
            if (!rule.IsImmutability)
            {
                Report(kind, path, schema, rule);
            }
            else if (old is not null && !JsonNode.DeepEquals(node, old))
            {
                errors.Add(FieldError.Invalid(path.Length == 0 ? "<nil>" : path, JsonValue.Create(schema.Type ?? "object"), rule.Detail));
            }
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = schema.Properties is { } properties && properties.TryGetValue(key, out var declared) ? declared : schema.AdditionalProperties;
                    if (child is not null)
                    {
                        var childPath = schema.Properties?.ContainsKey(key) == true ? (path.Length == 0 ? key : path + "." + key) : $"{path}[{key}]";
                        Walk(kind, value, (old as JsonObject)?[key], child, childPath, errors);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(kind, array[i], null, items, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", errors);
                }

                break;
        }
    }

    private void Report(string kind, string path, StructuralSchema schema, CelRule rule)
    {
        lock (_reported)
        {
            if (!_reported.Add((schema, rule.Rule)))
            {
                return;
            }
        }

        unevaluated($"CEL rule not evaluated (accepted unchecked) on {kind} {(path.Length == 0 ? "<root>" : path)}: {rule.Rule}");
    }
}
