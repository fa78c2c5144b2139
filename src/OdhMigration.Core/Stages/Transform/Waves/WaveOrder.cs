namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>
/// --wave-order: <c>largest</c> (default: the groups needing most of the scarcest resource first, GPU before memory
/// before CPU), <c>plan</c> (inventory order) or an explicit list <c>ns/a,ns/b,...</c> (those first, in that order,
/// the rest after them in plan order).
/// </summary>
public sealed record WaveOrder(string Kind, IReadOnlyList<string> Names)
{
    public const string Largest = "largest";
    public const string Plan = "plan";
    public const string Explicit = "explicit";

    public static readonly WaveOrder Default = new(Largest, []);

    /// <summary>Parses the option value; null or empty is the default.</summary>
    public static WaveOrder Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value == Largest)
        {
            return Default;
        }

        if (value == Plan)
        {
            return new WaveOrder(Plan, []);
        }

        return new WaveOrder(Explicit, value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Problems of the option value's form (names must be namespace/name, each once); empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(string? value)
    {
        var order = Parse(value);
        if (order.Kind != Explicit)
        {
            return [];
        }

        var problems = new List<string>();
        if (order.Names.Count == 0)
        {
            problems.Add($"--wave-order '{value}': expected {Largest}, {Plan} or a list namespace/name,namespace/name,...");
        }

        foreach (var name in order.Names.Where(n => n.Split('/') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            problems.Add($"--wave-order: '{name}' is not namespace/name");
        }

        foreach (var name in order.Names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"--wave-order: '{name}' is listed more than once");
        }

        return problems;
    }
}
