using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Simulator.Schema.Cel;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// The CEL validation step of kube-apiserver for custom resources (k8s.io/apiextensions-apiserver
/// pkg/apiserver/schema/cel/validation.go and pkg/registry/customresource/strategy.go as in Kubernetes 1.30): every
/// rule runs with <c>self</c> bound to its node, on each item of a list and each value of a map whose schema carries
/// it; transition rules (<c>oldSelf</c>) only where an old value correlates (object fields and map keys unless the
/// map is atomic, items of list-type map lists by key). A false rule is <c>path: Invalid value: "&lt;schema
/// type&gt;": &lt;message&gt;</c> (1.30 prints the schema type; <c>reason</c> picks Forbidden/Required/Duplicate), an
/// evaluation error <c>... : &lt;error&gt; evaluating rule: &lt;message or rule&gt;</c>; failures of rules without
/// <c>oldSelf</c> on unchanged values are warnings (<see cref="CelCorrelation"/>). Rules this evaluator cannot run
/// (<see cref="CelRule.Program"/> null, or a runtime case it does not reproduce) are reported once through
/// <c>unevaluated</c> and accepted. As the API server does, rules are not run when the schema already found a
/// blocking error (NotSupported, Required, TooLong, TooMany, TypeInvalid); that adds <c>&lt;nil&gt;: Invalid value:
/// "null": some validation rules were not checked because the object was invalid; ...</c>.
/// </summary>
internal sealed class CelRules(Action<string> unevaluated)
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal)
    {
        "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid",
    };

    private readonly HashSet<(StructuralSchema Schema, string Rule)> _reported = [];

    public void Validate(string kind, JsonObject candidate, JsonObject? previous, StructuralSchema schema, List<FieldError> errors, WriteContext? context = null)
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

        new Run(this, kind, errors, context).Walk(candidate, previous, schema, string.Empty, CelCorrelation.Root(candidate, previous));
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

    private sealed class Run(CelRules owner, string kind, List<FieldError> errors, WriteContext? context)
    {
        public void Walk(JsonNode? node, JsonNode? old, StructuralSchema schema, string path, CelCorrelation? correlation)
        {
            if (node is null || !schema.HasRulesBelow)
            {
                return;
            }

            if (schema.Rules.Count > 0)
            {
                Evaluate(node, old, schema, path, correlation);
            }

            // Rules inside allOf branches (none in the served CRDs) are not evaluated here: reported, never dropped silently.
            foreach (var branch in schema.AllOf.Where(b => b.HasRulesBelow))
            {
                ReportAll(branch, path);
            }

            switch (node)
            {
                case JsonObject obj:
                    var oldObject = schema.MapType == "atomic" ? null : old as JsonObject;
                    foreach (var (key, value) in obj)
                    {
                        var declared = schema.Properties?.ContainsKey(key) == true;
                        var child = declared ? schema.Properties![key] : schema.AdditionalProperties;
                        if (child is not null)
                        {
                            var childPath = declared ? (path.Length == 0 ? key : path + "." + key) : $"{path}[{key}]";
                            Walk(value, oldObject?[key], child, childPath, correlation?.Key(key));
                        }
                    }

                    break;
                case JsonArray array when schema.Items is { } items:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var oldItem = CelCorrelation.MapListItem(old as JsonArray, array[i], schema);
                        Walk(array[i], oldItem, items, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", correlation?.Index(i, schema));
                    }

                    break;
            }
        }

        private void ReportAll(StructuralSchema schema, string path)
        {
            foreach (var rule in schema.Rules)
            {
                owner.Report(kind, path, schema, rule);
            }

            foreach (var (key, child) in (schema.Properties ?? new Dictionary<string, StructuralSchema>()).Where(p => p.Value.HasRulesBelow))
            {
                ReportAll(child, path.Length == 0 ? key : path + "." + key);
            }

            foreach (var child in new[] { schema.AdditionalProperties, schema.Items }.Where(c => c?.HasRulesBelow == true))
            {
                ReportAll(child!, path + "[*]");
            }

            foreach (var branch in schema.AllOf.Where(b => b.HasRulesBelow))
            {
                ReportAll(branch, path);
            }
        }

        private void Evaluate(JsonNode node, JsonNode? old, StructuralSchema schema, string path, CelCorrelation? correlation)
        {
            var self = CelValues.From(node, schema);
            var oldSelf = old is null ? null : CelValues.From(old, schema);
            var field = path.Length == 0 ? "<nil>" : path;
            var type = schema.Type ?? string.Empty;
            foreach (var rule in schema.Rules)
            {
                if (rule.Program is not { } program)
                {
                    owner.Report(kind, path, schema, rule);
                    continue;
                }

                if (program.UsesOldSelf && oldSelf is null)
                {
                    continue;
                }

                object result;
                try
                {
                    result = program.Evaluate(self, oldSelf);
                }
                catch (CelUnsupportedException)
                {
                    owner.Report(kind, path, schema, rule);
                    continue;
                }

                if (result is CelError error)
                {
                    // Evaluation errors are never ratcheted (validation.go appends them directly).
                    errors.Add(FieldError.Invalid(field, JsonValue.Create(type), error.Message.StartsWith("no such overload", StringComparison.Ordinal)
                        ? $"'{error.Message}': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"
                        : $"{error.Message} evaluating rule: {rule.ErrorString}"));
                }
                else if (result is not true)
                {
                    var failure = rule.Reason switch
                    {
                        "FieldValueForbidden" => FieldError.Forbidden(field, rule.Detail),
                        "FieldValueRequired" => FieldError.Required(field, rule.Detail),
                        "FieldValueDuplicate" => new FieldError("FieldValueDuplicate", field, $"Duplicate value: {FieldError.Quote(type)}"),
                        _ => FieldError.Invalid(field, JsonValue.Create(type), rule.Detail),
                    };
                    if (!program.UsesOldSelf && correlation?.ShouldRatchet == true)
                    {
                        context?.Warn(failure.ToString());
                    }
                    else
                    {
                        errors.Add(failure);
                    }
                }
            }
        }
    }
}
