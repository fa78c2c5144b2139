using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OdhMigration.Core.Manifests;

/// <summary>
/// YAML &lt;-&gt; JsonNode conversion: parsing on YamlDotNet's representation model, writing with <see cref="YamlWriter"/>.
/// Deliberately reflection-free so it stays Native AOT clean; scalars resolve with the YAML 1.2 core schema,
/// which is what Kubernetes clients (sigs.k8s.io/yaml) effectively produce for manifests.
/// </summary>
public static partial class Yaml
{
    public static IReadOnlyList<YamlDocument> ParseDocuments(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            // The representation model is built recursively and expands nothing lazily: bound the input first.
            YamlBudget.Check(text, source);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ManifestFormatException($"{source}: line {ex.Start.Line}, column {ex.Start.Column}: invalid YAML: {FirstLine(ex.Message)}", ex);
        }

        var documents = new List<YamlDocument>(stream.Documents.Count);
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" } && root.Tag.IsEmpty)
            {
                continue; // empty document between separators
            }

            documents.Add(new YamlDocument(ToJson(root, source), source, (int)root.Start.Line));
        }

        return documents;
    }

    public static JsonNode? ParseSingle(string text, string source)
    {
        var docs = ParseDocuments(text, source);
        return docs.Count switch
        {
            0 => null,
            1 => docs[0].Root,
            _ => throw new ManifestFormatException($"{source}: expected one YAML document, found {docs.Count}"),
        };
    }

    /// <summary>Block-style YAML for one document, ending with a newline (see <see cref="YamlWriter"/>).</summary>
    public static string Serialize(JsonNode? node) => YamlWriter.Write(node);

    public static string SerializeAll(IEnumerable<JsonNode?> nodes) =>
        string.Join("---\n", nodes.Select(Serialize));

    private static JsonNode? ToJson(YamlNode node, string source)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } keyText })
                    {
                        throw new ManifestFormatException($"{source}: line {key.Start.Line}: only scalar mapping keys are supported");
                    }

                    // Later duplicates win, as in Kubernetes' own decoder.
                    obj[keyText] = ToJson(value, source);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(ToJson(item, source));
                }

                return array;
            case YamlScalarNode scalar:
                return ScalarToJson(scalar);
            default:
                throw new ManifestFormatException($"{source}: line {node.Start.Line}: unsupported YAML node");
        }
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return ResolvePlain(value);
    }

    /// <summary>YAML 1.2 core schema resolution of a plain scalar.</summary>
    internal static JsonNode? ResolvePlain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    /// <summary>
    /// How a string is written: plain when it reads back as the same string, a literal block for clean multi-line
    /// text, double-quoted otherwise (keys are never blocks). One decision shared by every writer.
    /// </summary>
    internal static YamlStringStyle StyleOf(string text, bool isKey)
    {
        if (IsSafePlain(text))
        {
            return YamlStringStyle.Plain;
        }

        return !isKey
            && text.Contains('\n', StringComparison.Ordinal)
            && !text.Contains('\r', StringComparison.Ordinal)
            && text[0] != '\n' // a block starting with an empty line needs an indentation hint; quoting is simpler
            && !HasTrailingSpaceOnLine(text)
            && text.All(c => c == '\n' || (IsPrintable(c) && c != '\ufeff'))
            ? YamlStringStyle.Literal
            : YamlStringStyle.DoubleQuoted;
    }

    /// <summary>YAML's printable set for one UTF-16 unit (surrogates are handled in pairs by the writers).</summary>
    internal static bool IsPrintable(char c) =>
        c is '\t' or '\n' or '\r' or '\u0085'
        || c is >= ' ' and <= '~'
        || c is >= '\u00a0' and <= '\ud7ff'
        || c is >= '\ue000' and <= '\ufffd';

    private static bool HasTrailingSpaceOnLine(string text) =>
        text.Split('\n').Any(line => line.EndsWith(' ') || line.EndsWith('\t')) || text.StartsWith(' ');

    /// <summary>A string may be written plain only when it reads back as the same string.</summary>
    internal static bool IsSafePlain(string text) =>
        text.Length > 0
        && SafePlainPattern().IsMatch(text)
        && !text.Contains(": ", StringComparison.Ordinal)
        && !text.Contains(" #", StringComparison.Ordinal)
        && !text.EndsWith(':')
        && !text.EndsWith(' ')
        && ResolvePlain(text) is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
        && !LooksLikeYaml11Special(text);

    // Older YAML 1.1 readers (go-yaml v2, PyYAML) treat these as booleans or numbers; quote them for everyone.
    private static bool LooksLikeYaml11Special(string text) =>
        Yaml11Special().IsMatch(text);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_/$(][A-Za-z0-9 _./:@%+=,$(){}\-]*$")]
    private static partial Regex SafePlainPattern();

    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_:.eE+-]*|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex Yaml11Special();
}

internal enum YamlStringStyle
{
    Plain,
    Literal,
    DoubleQuoted,
}
