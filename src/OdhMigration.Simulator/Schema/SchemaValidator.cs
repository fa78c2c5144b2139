using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// Validates a pruned, defaulted custom resource against its structural schema and words the errors as the API
/// server does: kube-openapi's validators (pkg/validation/validate: type, enum, required, format, pattern, bounds)
/// turned into field errors by k8s.io/apiextensions-apiserver pkg/apiserver/validation/validation.go
/// (kubeOpenAPIResultToFieldErrors), e.g. <c>spec.predictor.minReplicas: Invalid value: "string":
/// spec.predictor.minReplicas in body must be of type integer: "string"</c>. metadata is left to ObjectMeta rules.
/// </summary>
public static class SchemaValidator
{
    public static List<FieldError> ValidateRoot(JsonObject obj, StructuralSchema schema)
    {
        var errors = new List<FieldError>();
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(required));
            }
        }

        foreach (var (key, value) in obj)
        {
            if (key is "metadata" or "apiVersion" or "kind")
            {
                continue;
            }

            if (schema.Properties is { } properties && properties.TryGetValue(key, out var child))
            {
                Validate(value, child, key, errors);
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                Validate(value, additional, key, errors);
            }
        }

        return errors;
    }

    internal static void Validate(JsonNode? node, StructuralSchema schema, string path, List<FieldError> errors)
    {
        var actual = TypeName(node);
        if (node is null)
        {
            if (!schema.Nullable && (schema.Type is not null || schema.IntOrString))
            {
                errors.Add(FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {Expected(schema)}: \"{actual}\""));
            }

            return;
        }

        if (!TypeMatches(schema, actual))
        {
            errors.Add(FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {Expected(schema)}: \"{actual}\""));
            return;
        }

        if (schema.HasComposites)
        {
            SchemaComposites.Validate(node, schema, path, errors); // kube-openapi's schemaPropsValidator runs after the type check
        }

        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            errors.Add(FieldError.NotSupported(path, node, allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            case JsonValue value when actual == "string":
                ValidateString(value.GetValue<string>(), value, schema, path, errors);
                break;
            case JsonValue value:
                ValidateNumber(value, schema, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, StructuralSchema schema, string path, List<FieldError> errors)
    {
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(path + "." + required));
            }
        }

        if (schema.EmbeddedResource && obj.Count > 0)
        {
            foreach (var typeField in new[] { "apiVersion", "kind" })
            {
                if (obj[typeField] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length == 0)
                {
                    errors.Add(FieldError.Required(path + "." + typeField, "must not be empty"));
                }
            }
        }

        foreach (var (key, value) in obj)
        {
            if (schema.EmbeddedResource && key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var child = schema.Properties is { } properties && properties.TryGetValue(key, out var declared) ? declared : schema.AdditionalProperties;
            if (child is not null)
            {
                Validate(value, child, path + "." + key, errors);
            }
        }
    }

    private static void ValidateArray(JsonArray array, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (schema.MaxItems is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(path, array.Count, max));
        }

        if (schema.MinItems is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(path, array, $"{path} in body should have at least {min.ToString(CultureInfo.InvariantCulture)} items"));
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", errors);
            }
        }
    }

    private static void ValidateString(string text, JsonNode node, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (schema.MaxLength is { } max && System.Text.Encoding.UTF8.GetByteCount(text) > max)
        {
            errors.Add(FieldError.TooLong(path, node, max));
        }

        if (schema.MinLength is { } min && text.Length < min)
        {
            errors.Add(FieldError.Invalid(path, node, $"{path} in body should be at least {min.ToString(CultureInfo.InvariantCulture)} chars long"));
        }

        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            errors.Add(FieldError.Invalid(path, node, $"{path} in body should match '{schema.PatternText}'"));
        }

        if (schema.Format is { } format && !FormatMatches(format, text))
        {
            errors.Add(FieldError.TypeInvalid(path, text, $"{path} in body must be of type {format}: {FieldError.Quote(text)}"));
        }
    }

    private static void ValidateNumber(JsonValue value, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (value.GetValueKind() != JsonValueKind.Number || !double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than {(schema.ExclusiveMinimum ? string.Empty : "or equal to ")}{Format(min)}"));
        }

        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body should be less than {(schema.ExclusiveMaximum ? string.Empty : "or equal to ")}{Format(max)}"));
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The formats kube-openapi's strfmt registry checks that CRDs here use; unknown formats pass, as there.</summary>
    private static bool FormatMatches(string format, string text) => format switch
    {
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.OrdinalIgnoreCase),
        "byte" => IsBase64(text),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        _ => true,
    };

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = text.Length <= 1024 ? stackalloc byte[text.Length] : new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static bool TypeMatches(StructuralSchema schema, string actual)
    {
        if (schema.IntOrString)
        {
            return actual is "integer" or "string";
        }

        return schema.Type switch
        {
            null => true,
            "number" => actual is "number" or "integer",
            var expected => expected == actual,
        };
    }

    private static string Expected(StructuralSchema schema) => schema.IntOrString ? "integer,string" : schema.Type ?? "object";

    /// <summary>The JSON type name of a value as the validator reports it ("integer" for whole numbers).</summary>
    public static string TypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };
}
