using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OdhMigration.Core.Manifests;

/// <summary>
/// Counts what one YAML file costs as its parser events go by, and refuses it (naming the file, line and limit)
/// once a <see cref="YamlLimits"/> bound is passed. Works on events, never recursively, so it is safe to run on
/// input too deep for a recursive reader; readers call it before they build anything from an event.
/// </summary>
public sealed class YamlBudget(string source)
{
    private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
    private readonly Stack<(string? Anchor, long FirstNode)> _open = new();
    private long _nodes;
    private long _aliasNodes;
    private int _documents;

    /// <summary>Runs every event of <paramref name="text"/> through a budget: the check before a tree is built from it.</summary>
    public static void Check(string text, string source)
    {
        var budget = new YamlBudget(source);
        using var textReader = new StringReader(text);
        using var reader = new TokenBoundedReader(textReader, source);
        var parser = new Parser(reader);
        while (parser.MoveNext())
        {
            reader.EventSeen();
            budget.Observe(parser.Current!);
        }
    }

    public void Observe(ParsingEvent parsingEvent)
    {
        switch (parsingEvent)
        {
            case DocumentStart start:
                if (++_documents > YamlLimits.MaxDocumentsPerFile)
                {
                    throw Exceeded(start.Start, $"more than {YamlLimits.MaxDocumentsPerFile:N0} documents in one file", "documents per file", YamlLimits.MaxDocumentsPerFile);
                }

                _anchorSizes.Clear(); // anchors are scoped to their document
                break;
            case Scalar scalar:
                if (scalar.Value.Length > YamlLimits.MaxScalarLength)
                {
                    throw Exceeded(scalar.Start, $"a scalar of {scalar.Value.Length:N0} characters", "scalar length", YamlLimits.MaxScalarLength);
                }

                _nodes++;
                Remember(scalar.Anchor, 1);
                break;
            case MappingStart or SequenceStart:
                if (_open.Count + 1 > YamlLimits.MaxDepth)
                {
                    throw Exceeded(parsingEvent.Start, $"nesting deeper than {YamlLimits.MaxDepth} levels", "nesting depth", YamlLimits.MaxDepth);
                }

                var anchor = ((NodeEvent)parsingEvent).Anchor;
                _open.Push((anchor.IsEmpty ? null : anchor.Value, _nodes));
                _nodes++;
                break;
            case MappingEnd or SequenceEnd:
                var (name, first) = _open.Pop();
                if (name is not null)
                {
                    _anchorSizes[name] = _nodes - first;
                }

                break;
            case AnchorAlias alias:
                var size = _anchorSizes.GetValueOrDefault(alias.Value.Value, 1);
                _aliasNodes += size;
                _nodes += size;
                if (_aliasNodes > YamlLimits.MaxAliasExpansion)
                {
                    throw Exceeded(alias.Start, $"aliases expanding to more than {YamlLimits.MaxAliasExpansion:N0} nodes", "alias expansion", YamlLimits.MaxAliasExpansion);
                }

                // An anchored collection that holds this alias grows by the expansion: counted through _nodes.
                break;
        }
    }

    private void Remember(AnchorName anchor, long size)
    {
        if (!anchor.IsEmpty)
        {
            _anchorSizes[anchor.Value] = size;
        }
    }

    private ManifestFormatException Exceeded(Mark at, string what, string limitName, long limit) =>
        new($"{source}: line {at.Line}, column {at.Column}: {what}: over the {limitName} limit of {limit:N0} (see docs/hostile-input.md); refusing the file");
}
