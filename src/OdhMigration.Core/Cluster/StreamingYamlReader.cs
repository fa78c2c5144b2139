using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OdhMigration.Core.Cluster;

/// <summary>
/// Reads a multi-document YAML stream straight from parser events into JsonNode, one document at a time, without
/// building YamlDotNet's representation tree of the whole file first. Snapshots of large namespaces (tens of
/// megabytes) load in a fraction of the memory. Scalars resolve exactly as <see cref="Yaml"/> resolves them. Every
/// event passes through a <see cref="YamlBudget"/> before it is read, so depth, scalar size, documents and alias
/// expansion are bounded (and the recursion below never goes deeper than <see cref="YamlLimits.MaxDepth"/>).
/// </summary>
public static class StreamingYamlReader
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static IEnumerable<YamlDocument> ReadDocuments(TextReader reader, string source)
    {
        using var bounded = new TokenBoundedReader(reader, source);
        var parser = new BudgetedParser(new Parser(bounded), new YamlBudget(source), bounded);
        Consume<StreamStart>(parser, source);
        while (!Accept<StreamEnd>(parser, source))
        {
            Consume<DocumentStart>(parser, source);
            var line = (int)parser.Current!.Start.Line;
            var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var root = Wrap(source, () => ReadNode(parser, source, anchors));
            Consume<DocumentEnd>(parser, source);
            if (root is not null)
            {
                yield return new YamlDocument(root, source, line);
            }
        }
    }

    private static JsonNode? ReadNode(IParser parser, string source, Dictionary<string, JsonNode?> anchors)
    {
        var current = parser.Current ?? throw new ManifestFormatException($"{source}: unexpected end of YAML");
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return Remember(scalar.Anchor, ScalarToJson(scalar), anchors);
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target?.DeepClone()
                    : throw new ManifestFormatException($"{source}: line {alias.Start.Line}: unknown alias *{alias.Value.Value}");
            case MappingStart mapping:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                while (parser.Current is not MappingEnd)
                {
                    if (parser.Current is not Scalar key)
                    {
                        throw new ManifestFormatException($"{source}: line {parser.Current?.Start.Line}: only scalar mapping keys are supported");
                    }

                    parser.MoveNext();

                    // Later duplicates win, as in Kubernetes' own decoder.
                    obj[key.Value] = ReadNode(parser, source, anchors);
                }

                parser.MoveNext();
                return Remember(mapping.Anchor, obj, anchors);
            }

            case SequenceStart sequence:
            {
                parser.MoveNext();
                var array = new JsonArray();
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(ReadNode(parser, source, anchors));
                }

                parser.MoveNext();
                return Remember(sequence.Anchor, array, anchors);
            }

            default:
                throw new ManifestFormatException($"{source}: line {current.Start.Line}: unsupported YAML node");
        }
    }

    private static JsonNode? ScalarToJson(Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        return tag == StrTag || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
            ? JsonValue.Create(scalar.Value)
            : Yaml.ResolvePlain(scalar.Value);
    }

    private static JsonNode? Remember(AnchorName anchor, JsonNode? node, Dictionary<string, JsonNode?> anchors)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static bool Accept<T>(IParser parser, string source)
        where T : ParsingEvent => Wrap(source, () => parser.Accept<T>(out _));

    private static void Consume<T>(IParser parser, string source)
        where T : ParsingEvent => Wrap(source, () => parser.Consume<T>());

    private static TResult Wrap<TResult>(string source, Func<TResult> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            // An event sequence the reader did not expect (malformed input the scanner let through): report it with
            // the position the parser reached.
            throw new ManifestFormatException($"{source}: invalid YAML: {ex.Message}", ex);
        }
        catch (YamlException ex)
        {
            var message = ex.Message;
            var newline = message.IndexOf('\n', StringComparison.Ordinal);
            throw new ManifestFormatException($"{source}: line {ex.Start.Line}, column {ex.Start.Column}: invalid YAML: {(newline < 0 ? message : message[..newline])}", ex);
        }
    }

    /// <summary>A parser that shows each event to the budget as it becomes current, before any reader acts on it.</summary>
    private sealed class BudgetedParser(IParser inner, YamlBudget budget, TokenBoundedReader reader) : IParser
    {
        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            reader.EventSeen();
            budget.Observe(inner.Current!);
            return true;
        }
    }
}
