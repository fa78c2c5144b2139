using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>
/// Writes a JsonNode as block-style YAML straight into a StringBuilder. Export and transform write one file per
/// object (tens of thousands for a large namespace), and YamlDotNet's general-purpose emitter was the largest single
/// cost there. The layout is the one that emitter produced with our settings (2-space indent, sequences not indented
/// under their key, no line folding), so files are byte-for-byte what they were; a test holds the two side by side.
/// </summary>
internal static class YamlWriter
{
    private const int Indent = 2;

    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder(512);
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteMapping(builder, obj, 0, inlineFirst: false);
                break;
            case JsonArray { Count: > 0 } array:
                WriteSequence(builder, array, 0, inlineFirst: false);
                break;
            default:
                WriteInlineValue(builder, node, 0);
                break;
        }

        return builder.ToString();
    }

    /// <param name="inlineFirst">The first key continues a "- " already written (a mapping as a sequence item).</param>
    private static void WriteMapping(StringBuilder builder, JsonObject obj, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && inlineFirst))
            {
                builder.Append(' ', indent);
            }

            first = false;
            WriteString(builder, key, indent, isKey: true);
            builder.Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    builder.Append('\n');
                    WriteMapping(builder, child, indent + Indent, inlineFirst: false);
                    break;
                case JsonArray { Count: > 0 } child:
                    builder.Append('\n');
                    WriteSequence(builder, child, indent, inlineFirst: false);
                    break;
                default:
                    builder.Append(' ');
                    WriteInlineValue(builder, value, indent + Indent);
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder builder, JsonArray array, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!(first && inlineFirst))
            {
                builder.Append(' ', indent);
            }

            first = false;
            builder.Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    WriteMapping(builder, child, indent + Indent, inlineFirst: true);
                    break;
                case JsonArray { Count: > 0 } child:
                    WriteSequence(builder, child, indent + Indent, inlineFirst: true);
                    break;
                default:
                    WriteInlineValue(builder, item, indent + Indent);
                    break;
            }
        }
    }

    /// <summary>A scalar or an empty collection after "key: " or "- ", ending the line (a literal block ends its own lines).</summary>
    private static void WriteInlineValue(StringBuilder builder, JsonNode? value, int blockIndent)
    {
        switch (value)
        {
            case null:
                builder.Append("null\n");
                return;
            case JsonObject:
                builder.Append("{}\n");
                return;
            case JsonArray:
                builder.Append("[]\n");
                return;
        }

        var scalar = (JsonValue)value;
        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(builder, scalar.GetValue<string>(), blockIndent, isKey: false);
                if (builder[^1] != '\n')
                {
                    builder.Append('\n');
                }

                return;
            case JsonValueKind.True:
                builder.Append("true\n");
                return;
            case JsonValueKind.False:
                builder.Append("false\n");
                return;
            case JsonValueKind.Number:
                builder.Append(scalar.ToJsonString()).Append('\n');
                return;
            default:
                builder.Append("null\n");
                return;
        }
    }

    private static void WriteString(StringBuilder builder, string text, int blockIndent, bool isKey)
    {
        switch (Yaml.StyleOf(text, isKey))
        {
            case YamlStringStyle.Plain:
                builder.Append(text);
                break;
            case YamlStringStyle.Literal:
                WriteLiteral(builder, text, blockIndent);
                break;
            default:
                WriteDoubleQuoted(builder, text);
                break;
        }
    }

    /// <summary>"|-", "|" or "|+" by the trailing newlines, then every line at the block's indentation (empty lines bare).</summary>
    private static void WriteLiteral(StringBuilder builder, string text, int indent)
    {
        var endsWithBreak = text[^1] == '\n';
        var chomp = !endsWithBreak ? "-" : text.Length == 1 || text[^2] == '\n' ? "+" : "";
        builder.Append('|').Append(chomp).Append('\n');
        var body = endsWithBreak ? text.AsSpan(0, text.Length - 1) : text.AsSpan();
        foreach (var line in body.EnumerateLines())
        {
            if (line.Length > 0)
            {
                builder.Append(' ', indent).Append(line);
            }

            builder.Append('\n');
        }
    }

    private static void WriteDoubleQuoted(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\0': builder.Append("\\0"); continue;
                case '\a': builder.Append("\\a"); continue;
                case '\b': builder.Append("\\b"); continue;
                case '\n': builder.Append("\\n"); continue;
                case '\v': builder.Append("\\v"); continue;
                case '\f': builder.Append("\\f"); continue;
                case '\r': builder.Append("\\r"); continue;
                case '\u001b': builder.Append("\\e"); continue;
                case '"': builder.Append("\\\""); continue;
                case '\\': builder.Append("\\\\"); continue;
                case '\u0085': builder.Append("\\N"); continue;
                case '\u2028': builder.Append("\\L"); continue;
                case '\u2029': builder.Append("\\P"); continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append("\\U").Append(char.ConvertToUtf32(c, text[i + 1]).ToString("X8", CultureInfo.InvariantCulture));
                i++;
            }
            else if (Yaml.IsPrintable(c) && c != '\ufeff')
            {
                builder.Append(c);
            }
            else if (c <= 0xff)
            {
                builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        builder.Append('"');
    }
}
