using System.Globalization;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>/<c>not</c> value validations as kube-openapi evaluates them
/// (kubernetes/kube-openapi pkg/validation/validate/schema_props.go schemaPropsValidator.Validate, messages from
/// schema_messages.go). Their failures are not field errors but composite errors, which
/// k8s.io/apiextensions-apiserver pkg/apiserver/validation/validation.go (kubeOpenAPIResultToFieldErrors, default
/// case) turns into <c>field.Invalid(nil, "", message)</c>: <c>&lt;nil&gt;: Invalid value: "": "spec.tls" must
/// validate at least one schema (anyOf)</c>. An allOf passes on every branch's errors, as kube-openapi merges them.
/// <b>Not reproduced:</b> for a failed anyOf/oneOf kube-openapi also lists the errors of the failing branch that ran
/// the most checks (its MatchCount); only the composite error is listed here.
/// </summary>
internal static class SchemaComposites
{
    public static void Validate(JsonNode node, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (schema.AnyOf.Count > 0 && !schema.AnyOf.Any(branch => Passes(node, branch, path)))
        {
            errors.Add(Composite(path, "must validate at least one schema (anyOf)"));
        }

        if (schema.OneOf.Count > 0)
        {
            var valid = schema.OneOf.Count(branch => Passes(node, branch, path));
            if (valid != 1)
            {
                var found = valid == 0 ? "Found none valid" : $"Found {valid.ToString(CultureInfo.InvariantCulture)} valid alternatives";
                errors.Add(Composite(path, $"must validate one and only one schema (oneOf). {found}"));
            }
        }

        if (schema.AllOf.Count > 0)
        {
            var validated = 0;
            foreach (var branch in schema.AllOf)
            {
                var before = errors.Count;
                SchemaValidator.Validate(node, branch, path, errors);
                validated += errors.Count == before ? 1 : 0;
            }

            if (validated != schema.AllOf.Count)
            {
                errors.Add(Composite(path, "must validate all the schemas (allOf)" + (validated == 0 ? ". None validated" : string.Empty)));
            }
        }

        if (schema.Not is { } not && Passes(node, not, path))
        {
            errors.Add(Composite(path, "must not validate the schema (not)"));
        }
    }

    private static bool Passes(JsonNode node, StructuralSchema branch, string path)
    {
        var errors = new List<FieldError>();
        SchemaValidator.Validate(node, branch, path, errors);
        return errors.Count == 0;
    }

    /// <summary>A kube-openapi composite error (%q of the path) as the API server reports it: no field path, value "".</summary>
    private static FieldError Composite(string path, string message) =>
        new("FieldValueInvalid", "<nil>", $"Invalid value: \"\": {FieldError.Quote(path)} {message}");
}
