using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// The API server's handling of a custom resource body against its CRD schema, on every create, update, patch and
/// apply (main resource and status): prune unknown fields and answer them per <c>fieldValidation</c>, apply
/// defaults, then validate (422 Invalid with field paths): the schema, list uniqueness, then CEL rules. Runs before the webhooks, as schema validation does.
/// </summary>
internal sealed class SchemaAdmission(CrdSchemas schemas, Action<string>? unevaluatedRule = null) : IAdmissionCheck
{
    private readonly CelRules _cel = new(unevaluatedRule ?? (_ => { }));

    /// <summary>Defaults an object read from storage (a snapshot object).</summary>
    public void DefaultStored(ResourceKind kind, JsonObject stored)
    {
        if (schemas.For(kind) is { } schema)
        {
            SchemaDefaulter.DefaultRoot(stored, schema);
        }
    }

    public void Admit(ResourceKind kind, JsonObject? previous, JsonObject candidate, WriteContext context)
    {
        if (schemas.For(kind) is not { } schema)
        {
            return;
        }

        // A strict patch error quotes the patched object as it was before pruning (handlers/patch.go jsonPatcher).
        var beforePruning = context.FieldValidation == FieldValidationDirective.Strict && context.PatchType is PatchTypes.Merge or PatchTypes.Json
            ? candidate.ToJsonString()
            : null;
        var unknown = SchemaPruner.PruneRoot(candidate, schema);
        if (unknown.Count > 0)
        {
            UnknownFields.Answer(kind, unknown, context, beforePruning);
        }

        SchemaDefaulter.DefaultRoot(candidate, schema);
        var errors = SchemaValidator.ValidateRoot(candidate, schema);

        // List-type uniqueness follows the schema errors; an update only answers it if the stored object kept it.
        if (previous is null || ListUniqueness.ValidateRoot(previous, schema).Count == 0)
        {
            errors.AddRange(ListUniqueness.ValidateRoot(candidate, schema));
        }

        _cel.Validate(kind.Kind, candidate, previous, schema, errors, context);

        if (errors.Count > 0)
        {
            throw FieldError.ToInvalid(kind, candidate.Name(), errors);
        }
    }
}
