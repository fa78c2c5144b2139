using System.Text.Json.Nodes;
using OdhMigration.Simulator.Schema.Cel;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// One <c>x-kubernetes-validations</c> entry of a schema node, compiled once with the CRD's schema. <c>Program</c> is
/// null when the rule is not evaluated here: it uses CEL this evaluator lacks, or <c>messageExpression</c>,
/// <c>fieldPath</c> or <c>optionalOldSelf</c> (none of the served CRDs does).
/// </summary>
public sealed record CelRule(string Rule, string? Message, string? Reason, CelProgram? Program)
{
    private static readonly HashSet<string> Reasons = new(StringComparer.Ordinal) { "FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate" };

    /// <summary>ruleMessageOrDefault (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go).</summary>
    public string Detail => Message is { Length: > 0 } m ? m.Trim() : $"failed rule: {ErrorString}";

    /// <summary>ruleErrorString (same file): the message, else the rule, for evaluation errors.</summary>
    public string ErrorString => Message is { Length: > 0 } m ? m.Trim() : Rule.Trim();

    public static IReadOnlyList<CelRule> Compile(JsonObject node) =>
        node["x-kubernetes-validations"] is JsonArray rules ? rules.OfType<JsonObject>().Select(CompileOne).ToList() : [];

    private static CelRule CompileOne(JsonObject entry)
    {
        var rule = entry["rule"]?.ToString() ?? string.Empty;
        var reason = entry["reason"]?.ToString();
        var extras = entry["messageExpression"] is not null || entry["fieldPath"] is not null || entry["optionalOldSelf"] is not null
            || (reason is not null && !Reasons.Contains(reason));
        CelProgram? program = null;
        if (!extras)
        {
            try
            {
                program = CelProgram.Compile(rule);
            }
            catch (CelUnsupportedException)
            {
                program = null;
            }
        }

        return new CelRule(rule, entry["message"]?.ToString(), reason, program);
    }
}
