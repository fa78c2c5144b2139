using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// What the API server answers when a body carries fields the schema does not declare, by request and
/// <c>fieldValidation</c> (k8s.io/apiserver pkg/endpoints/handlers create.go, update.go, patch.go, rest.go
/// transformDecodeError; sigs.k8s.io/structured-merge-diff typed conversion for apply).
/// </summary>
internal static class UnknownFields
{
    public static void Answer(ResourceKind kind, IReadOnlyList<string> unknown, WriteContext context, string? beforePruning)
    {
        var strictErrors = string.Join(", ", unknown.Select(f => $"unknown field \"{f}\""));
        if (context.PatchType == PatchTypes.Apply)
        {
            // Apply converts the applied configuration to a typed object first: undeclared fields fail that conversion
            // whatever fieldValidation says, and the error is not a Status error (500, reason unknown).
            var paths = unknown.Select(f => "." + f + ": field not declared in schema").ToList();
            var detail = paths.Count == 1 ? paths[0] : "errors:\n  " + string.Join("\n  ", paths);
            throw new ApiException(500, string.Empty, $"failed to create typed patch object ({kind.Group}/{kind.Version}, Kind={kind.Kind}): {detail}");
        }

        switch (context.FieldValidation)
        {
            case FieldValidationDirective.Warn:
                foreach (var field in unknown)
                {
                    context.Warn($"unknown field \"{field}\"");
                }

                break;
            case FieldValidationDirective.Strict when context.PatchType is PatchTypes.Merge or PatchTypes.Json:
                var causes = new JsonArray(new JsonObject
                {
                    ["reason"] = "FieldValueInvalid",
                    ["message"] = $"Invalid value: {FieldError.Quote(beforePruning ?? string.Empty)}: strict decoding error: {strictErrors}",
                    ["field"] = "patch",
                });
                throw new ApiException(422, "Invalid", $" \"\" is invalid: patch: Invalid value: {FieldError.Quote(beforePruning ?? string.Empty)}: strict decoding error: {strictErrors}", new JsonObject { ["causes"] = causes });
            case FieldValidationDirective.Strict:
                throw ApiException.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: strict decoding error: {strictErrors}");
        }
    }
}
