namespace OdhMigration.Simulator.Store;

/// <summary>A field selector restricted to what every resource supports: metadata.name and metadata.namespace (= == !=).</summary>
public sealed class FieldFilter
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldFilter(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldFilter Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name this filter pins with metadata.name=x, if any (lets watch/list skip a scan).</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (op, at) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? ("==", ee)
                : ("=", part.IndexOf('='));
            if (at <= 0)
            {
                throw ApiException.BadRequest($"invalid field selector '{text}': '{part}' is not field=value");
            }

            var field = part[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, op != "!=", part[(at + op.Length)..].Trim()));
        }

        return new FieldFilter(terms);
    }

    public bool Matches(string? ns, string name)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = field == "metadata.name" ? name : ns ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
