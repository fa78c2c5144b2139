using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// The uniqueness of <c>x-kubernetes-list-type: set</c> items and <c>map</c> keys, as
/// k8s.io/apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go (ValidateListSetsAndMaps) checks it
/// after the schema validation: each later appearance of a value (sets) or key (maps) is 422 <c>Duplicate value</c>
/// at its index, a map item that is not an object is <c>must be an object for an array of list-type map</c>. The
/// value is printed as Kubernetes 1.30's k8s.io/apimachinery pkg/util/validation/field ErrorBody prints it (scalars
/// plain or quoted, compound values with Go's <c>%#v</c>: <c>map[string]interface {}{"name":"a"}</c>; 1.34 switched
/// to JSON). On update the check is skipped when the stored object already breaks it (pkg/registry/customresource/
/// strategy.go ValidateUpdate ratchets it).
/// </summary>
internal static class ListUniqueness
{
    public static List<FieldError> ValidateRoot(JsonObject obj, StructuralSchema schema)
    {
        var errors = new List<FieldError>();
        Walk(obj, schema, string.Empty, errors);
        return errors;
    }

    private static void Walk(JsonNode? node, StructuralSchema schema, string path, List<FieldError> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (schema.AdditionalProperties is { } additional)
                    {
                        Walk(value, additional, $"{path}[{key}]", errors);
                    }

                    if (schema.Properties is { } properties && properties.TryGetValue(key, out var child))
                    {
                        Walk(value, child, path.Length == 0 ? key : path + "." + key, errors);
                    }
                }

                break;
            case JsonArray array:
                if (schema.ListType == "set")
                {
                    foreach (var i in LaterDuplicates(array.Select(Canonical).ToList()))
                    {
                        errors.Add(Duplicate(path, i, array[i]));
                    }
                }
                else if (schema.ListType == "map")
                {
                    ListMap(array, schema, path, errors);
                }

                if (schema.Items is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], items, Index(path, i), errors);
                    }
                }

                break;
        }
    }

    private static void ListMap(JsonArray array, StructuralSchema schema, string path, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not (null or JsonObject))
            {
                errors.Add(FieldError.Invalid(Index(path, i), array[i], "must be an object for an array of list-type map"));
                return;
            }
        }

        // Each item's key: the key fields it has (an unset key, or a null item, is a value of its own).
        var keys = array.Select(item =>
        {
            var key = new JsonObject();
            foreach (var field in schema.ListMapKeys)
            {
                if (item is JsonObject o && o.TryGetPropertyValue(field, out var value))
                {
                    key[field] = value?.DeepClone();
                }
            }

            return key;
        }).ToList();
        foreach (var i in LaterDuplicates(keys.Select(k => schema.ListMapKeys.Count == 1 && k.Count == 0 ? "unspecified" : Canonical(k)).ToList()))
        {
            errors.Add(Duplicate(path, i, keys[i]));
        }
    }

    /// <summary>validateListSet: the index of the second appearance of each repeated value.</summary>
    private static IEnumerable<int> LaterDuplicates(List<string> values)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            seen[values[i]] = seen.TryGetValue(values[i], out var times) ? times + 1 : 1;
            if (times == 1)
            {
                yield return i;
            }
        }
    }

    private static FieldError Duplicate(string path, int index, JsonNode? value) =>
        new("FieldValueDuplicate", Index(path, index), $"Duplicate value: {Body(value)}");

    private static string Index(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>ErrorBody's value: simple types with %v, strings with %q, null as "null", the rest with %#v.</summary>
    private static string Body(JsonNode? value) => value switch
    {
        null => FieldError.Quote("null"),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => FieldError.Quote(v.GetValue<string>()),
        JsonValue v => GoSyntax(v),
        _ => GoSyntax(value),
    };

    /// <summary>Go's %#v of the unstructured value (map keys sorted, as fmt prints maps).</summary>
    private static string GoSyntax(JsonNode? node) => node switch
    {
        null => "interface {}(nil)",
        JsonObject o => "map[string]interface {}{" + string.Join(", ", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => FieldError.Quote(p.Key) + ":" + GoSyntax(p.Value))) + "}",
        JsonArray a => "[]interface {}{" + string.Join(", ", a.Select(GoSyntax)) + "}",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => FieldError.Quote(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => Number(v),
            _ => "interface {}(nil)",
        },
        _ => "interface {}(nil)",
    };

    /// <summary>An integer (int64 in unstructured content) as written, a float as Go's %v prints a float64.</summary>
    private static string Number(JsonValue v)
    {
        var text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal)
            : text;
    }

    /// <summary>A value's identity for uniqueness: type-tagged scalars (int64 1 and float64 1.0 differ, as Go map keys do) and sorted JSON for compounds.</summary>
    private static string Canonical(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder, top: true);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder, bool top)
    {
        switch (node)
        {
            case JsonObject o:
                builder.Append('{');
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(FieldError.Quote(key)).Append(':');
                    Write(value, builder, top: false);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonArray a:
                builder.Append('[');
                foreach (var item in a)
                {
                    Write(item, builder, top: false);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var text = v.ToJsonString();
                var integer = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole);
                // json.Marshal writes int64 1 and float64 1.0 alike inside compounds; as scalars they are different keys.
                builder.Append(integer ? (top ? "i" : string.Empty) + whole.ToString(CultureInfo.InvariantCulture)
                    : (top ? "f" : string.Empty) + Number(v));
                break;
            default:
                builder.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
