using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OdhMigration.Core.Manifests;

/// <summary>
/// YAML &lt;-&gt; JsonNode conversion on YamlDotNet's representation model and emitter.
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

    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture))
        {
            var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: false));
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, true));
            Emit(emitter, node);
            emitter.Emit(new DocumentEnd(true));
            emitter.Emit(new StreamEnd());
        }

        var text = builder.ToString();
        return text.EndsWith('\n') ? text : text + "\n";
    }

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

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                EmitValue(emitter, value);
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case System.Text.Json.JsonValueKind.True:
                emitter.Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
                break;
            case System.Text.Json.JsonValueKind.False:
                emitter.Emit(new Scalar(null, null, "false", ScalarStyle.Plain, true, false));
                break;
            case System.Text.Json.JsonValueKind.Number:
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        ScalarStyle style;
        if (text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal) && !HasTrailingSpaceOnLine(text))
        {
            style = ScalarStyle.Literal;
        }
        else if (IsSafePlain(text))
        {
            style = ScalarStyle.Plain;
        }
        else
        {
            style = ScalarStyle.DoubleQuoted;
        }

        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }

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
