using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// Processes an OpenShift Template without a cluster, as <c>oc process</c> would with no parameters given:
/// each parameter takes its <c>value</c>; <c>${NAME}</c> is replaced inside strings and a string that is exactly
/// <c>${{NAME}}</c> is replaced by the value parsed as JSON (a number, boolean ...). Generated values
/// (<c>generate: expression</c>) would need a random generator and are refused rather than guessed.
/// </summary>
public static partial class TemplateProcessor
{
    public static List<JsonObject> Process(JsonObject template)
    {
        var name = template.Name();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (template["parameters"] is JsonArray parameters)
        {
            foreach (var parameter in parameters.OfType<JsonObject>())
            {
                var paramName = parameter.Str("name") ?? throw new TemplateException($"Template {name}: a parameter has no name");
                var value = parameter.Scalar("value");
                if (value is null && parameter.Str("generate") is { } generate)
                {
                    throw new TemplateException($"Template {name}: parameter {paramName} is generated ('generate: {generate}'); generated parameters are not supported offline");
                }

                if (value is null && parameter["required"]?.GetValueKind() == JsonValueKind.True)
                {
                    throw new TemplateException($"Template {name}: required parameter {paramName} has no value");
                }

                values[paramName] = value ?? "";
            }
        }

        if (template["objects"] is not JsonArray objects)
        {
            throw new TemplateException($"Template {name}: no objects");
        }

        return objects.OfType<JsonObject>().Select(o => (JsonObject)Substitute(o.DeepClone(), values)!).ToList();
    }

    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    var replaced = Substitute(child, values);
                    if (!ReferenceEquals(child, replaced))
                    {
                        obj[key] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    var replaced = Substitute(child, values);
                    if (!ReferenceEquals(child, replaced))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return SubstituteString(value.GetValue<string>(), values);
            default:
                return node;
        }
    }

    private static JsonNode? SubstituteString(string text, Dictionary<string, string> values)
    {
        var whole = NonStringReference().Match(text);
        if (whole.Success && whole.Length == text.Length)
        {
            if (!values.TryGetValue(whole.Groups[1].Value, out var raw))
            {
                return JsonValue.Create(text); // oc process leaves references to undefined parameters alone
            }

            try
            {
                return JsonNode.Parse(raw);
            }
            catch (JsonException)
            {
                return JsonValue.Create(raw);
            }
        }

        return JsonValue.Create(StringReference().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value));
    }

    [GeneratedRegex(@"\$\{\{([A-Za-z0-9_]+)\}\}")]
    private static partial Regex NonStringReference();

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex StringReference();
}

/// <summary>A Template that cannot be processed offline.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message) : base(message) { }
    public TemplateException() { }
    public TemplateException(string message, Exception inner) : base(message, inner) { }
}
