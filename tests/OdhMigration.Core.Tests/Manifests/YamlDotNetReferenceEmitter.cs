using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OdhMigration.Core.Tests.Manifests;

/// <summary>
/// The oracle for <c>YamlWriter</c>: YamlDotNet's emitter with the settings the product used before it had its
/// own writer, fed the same per-string style decisions. The product's files must stay byte-for-byte what this gives.
/// </summary>
public static class YamlDotNetReferenceEmitter
{
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
                    EmitString(emitter, key, isKey: true);
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
                switch (value.GetValueKind())
                {
                    case System.Text.Json.JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>(), isKey: false);
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

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text, bool isKey)
    {
        var style = Yaml.StyleOf(text, isKey) switch
        {
            YamlStringStyle.Plain => ScalarStyle.Plain,
            YamlStringStyle.Literal => ScalarStyle.Literal,
            _ => ScalarStyle.DoubleQuoted,
        };
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }
}
