using System.Globalization;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Http.Tables;

/// <summary>
/// The JSONPath subset CRD <c>additionalPrinterColumns</c> use (the API server accepts only "simple" paths there):
/// <c>.field</c>, <c>['field']</c>, <c>[n]</c>, <c>[*]</c> and filters <c>[?(@.a.b=='x')]</c> / <c>!=</c> / a bare
/// <c>[?(@.a)]</c> existence test, with string, number and boolean literals. Missing keys give no result, as with
/// client-go's jsonpath <c>AllowMissingKeys(true)</c>, which the CRD table convertor sets.
/// </summary>
public sealed class SimpleJsonPath
{
    private readonly List<Func<JsonNode?, IEnumerable<JsonNode?>>> _steps = [];

    private SimpleJsonPath(string text) => Text = text;

    public string Text { get; }

    /// <summary>Parses a path; an unsupported expression is a <see cref="FormatException"/>.</summary>
    public static SimpleJsonPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new SimpleJsonPath(path);
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        var i = 0;
        if (text.StartsWith('$'))
        {
            i = 1;
        }

        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                result._steps.Add(name == "*" ? Wildcard : node => Field(node, name));
                i = end;
            }
            else if (text[i] == '[')
            {
                var close = FindClose(text, i);
                result._steps.Add(Bracket(text[(i + 1)..close].Trim()));
                i = close + 1;
            }
            else
            {
                throw new FormatException($"unsupported JSONPath {path}");
            }
        }

        return result;
    }

    /// <summary>Every match, in document order (a null JSON value is a match).</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = current.SelectMany(step).ToList();
        }

        return current.ToList();
    }

    private static int FindClose(string text, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '[' or '(':
                    depth++;
                    break;
                case ']' or ')':
                    depth--;
                    if (depth == 0 && c == ']')
                    {
                        return i;
                    }

                    break;
            }
        }

        throw new FormatException($"unterminated [ in JSONPath {text}");
    }

    private static Func<JsonNode?, IEnumerable<JsonNode?>> Bracket(string inner)
    {
        if (inner == "*")
        {
            return Wildcard;
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            var name = inner[1..^1];
            return node => Field(node, name);
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return node => node is JsonArray array && (index < 0 ? array.Count + index : index) is var at && at >= 0 && at < array.Count ? [array[at]] : [];
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var filter = Filter.Parse(inner[2..^1].Trim());
            return node => node is JsonArray array ? array.Where(filter.Matches) : [];
        }

        throw new FormatException($"unsupported JSONPath expression [{inner}]");
    }

    private static IEnumerable<JsonNode?> Field(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? [value] : [];

    private static IEnumerable<JsonNode?> Wildcard(JsonNode? node) => node switch
    {
        JsonArray array => array,
        JsonObject obj => obj.Select(p => p.Value),
        _ => [],
    };

    /// <summary><c>@.path OP literal</c> or <c>@.path</c>.</summary>
    private sealed record Filter(SimpleJsonPath Left, string? Operator, JsonNode? Literal)
    {
        public static Filter Parse(string text)
        {
            foreach (var op in new[] { "==", "!=" })
            {
                var at = text.IndexOf(op, StringComparison.Ordinal);
                if (at > 0)
                {
                    return new Filter(Relative(text[..at].Trim()), op, ParseLiteral(text[(at + 2)..].Trim()));
                }
            }

            return new Filter(Relative(text), null, null);
        }

        public bool Matches(JsonNode? item)
        {
            var found = Left.Evaluate(item);
            if (Operator is null)
            {
                return found.Count > 0;
            }

            var equal = found.Count > 0 && JsonNode.DeepEquals(found[0], Literal);
            return Operator == "==" ? equal : found.Count > 0 && !equal;
        }

        private static SimpleJsonPath Relative(string text) =>
            text.StartsWith('@') ? SimpleJsonPath.Parse(text[1..]) : throw new FormatException($"unsupported JSONPath filter {text}");

        private static JsonNode? ParseLiteral(string text)
        {
            if (text.Length >= 2 && text[0] is '\'' or '"' && text[^1] == text[0])
            {
                return JsonValue.Create(text[1..^1]);
            }

            return text switch
            {
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                _ => throw new FormatException($"unsupported JSONPath literal {text}"),
            };
        }
    }
}
