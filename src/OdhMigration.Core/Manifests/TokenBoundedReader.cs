namespace OdhMigration.Core.Manifests;

/// <summary>
/// A reader that refuses to hand the YAML scanner more than <see cref="YamlLimits.MaxCharactersPerToken"/>
/// characters between two parser events. The scanner builds a whole scalar in memory before the parser can report
/// it, so without this a 200 MB scalar costs gigabytes before <see cref="YamlBudget"/> sees it and refuses it.
/// The inner reader stays open: it belongs to the caller.
/// </summary>
public sealed class TokenBoundedReader(TextReader inner, string source) : TextReader
{
    private long _sinceEvent;
    private long _line = 1;
    private long _lineAtEvent = 1;

    /// <summary>Called for every parser event: what was read so far belonged to a token the parser accepted.</summary>
    public void EventSeen()
    {
        _sinceEvent = 0;
        _lineAtEvent = _line;
    }

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        var c = inner.Read();
        if (c >= 0)
        {
            Count(c == '\n' ? 1 : 0, 1);
        }

        return c;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var read = inner.Read(buffer);
        if (read > 0)
        {
            Count(buffer[..read].Count('\n'), read);
        }

        return read;
    }

    public override int ReadBlock(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    private void Count(int newlines, int characters)
    {
        _line += newlines;
        _sinceEvent += characters;
        if (_sinceEvent > YamlLimits.MaxCharactersPerToken)
        {
            throw new ManifestFormatException($"{source}: line {_lineAtEvent}: more than {YamlLimits.MaxCharactersPerToken:N0} characters without a complete YAML token (a scalar over the scalar length limit of {YamlLimits.MaxScalarLength:N0}, see docs/hostile-input.md); refusing the file");
        }
    }
}
