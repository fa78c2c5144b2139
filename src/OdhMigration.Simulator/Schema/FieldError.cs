using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// One field error as k8s.io/apimachinery/pkg/util/validation/field renders it: <c>Reason</c> is the StatusCause
/// reason (FieldValueInvalid, ...), <c>Body</c> the text after the field path ("Invalid value: ...: ...").
/// </summary>
public sealed record FieldError(string Reason, string Field, string Body)
{
    public static FieldError TypeInvalid(string field, string value, string detail) => new("FieldValueTypeInvalid", field, $"Invalid value: {Quote(value)}: {detail}");

    public static FieldError Invalid(string field, JsonNode? value, string detail) => new("FieldValueInvalid", field, $"Invalid value: {Render(value)}: {detail}");

    public static FieldError Required(string field, string detail = "") => new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string field, string detail) => new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: {Render(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    public static FieldError TooLong(string field, JsonNode? value, long max) => new("FieldValueTooLong", field, $"Too long: may not be more than {max.ToString(CultureInfo.InvariantCulture)} bytes");

    public static FieldError TooMany(string field, int actual, long max) =>
        new("FieldValueTooMany", field, $"Too many: {actual.ToString(CultureInfo.InvariantCulture)}: must have at most {max.ToString(CultureInfo.InvariantCulture)} items");

    public override string ToString() => $"{Field}: {Body}";

    /// <summary>
    /// The API server's 422: <c>Kind.group "name" is invalid: field: body</c>, several errors in brackets, each as a
    /// StatusCause (k8s.io/apimachinery/pkg/api/errors NewInvalid).
    /// </summary>
    public static ApiException ToInvalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        var qualified = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        var list = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add((JsonNode)new JsonObject { ["reason"] = error.Reason, ["message"] = error.Body, ["field"] = error.Field });
        }

        return new ApiException(422, "Invalid", $"{qualified} \"{name}\" is invalid: {list}", new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Kind, ["causes"] = causes });
    }

    /// <summary>Go's %q for the plain strings field errors carry.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A value as Go's field errors print it: strings quoted, numbers and booleans bare, null as null, objects as JSON.</summary>
    public static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };
}
