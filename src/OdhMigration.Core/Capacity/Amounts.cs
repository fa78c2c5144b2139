namespace OdhMigration.Core.Capacity;

/// <summary>Arithmetic on amounts keyed by resource name (base units).</summary>
public static class Amounts
{
    /// <summary>Adds <paramref name="amounts"/> x <paramref name="times"/> into <paramref name="total"/>.</summary>
    public static void AddInto(Dictionary<string, decimal> total, IReadOnlyDictionary<string, decimal> amounts, decimal times = 1)
    {
        foreach (var (name, value) in amounts)
        {
            total[name] = total.GetValueOrDefault(name) + (value * times);
        }
    }

    /// <summary>Per resource the larger of the two (Kubernetes counts an init container's requests this way).</summary>
    public static void MaxInto(Dictionary<string, decimal> total, IReadOnlyDictionary<string, decimal> amounts)
    {
        foreach (var (name, value) in amounts)
        {
            total[name] = Math.Max(total.GetValueOrDefault(name), value);
        }
    }

    /// <summary>For every resource of <paramref name="capacity"/>: what is left after <paramref name="used"/>, never below zero.</summary>
    public static Dictionary<string, decimal> Free(IReadOnlyDictionary<string, decimal> capacity, IReadOnlyDictionary<string, decimal> used) =>
        capacity.ToDictionary(c => c.Key, c => Math.Max(0, c.Value - used.GetValueOrDefault(c.Key)), StringComparer.Ordinal);

    /// <summary>A copy sorted by resource name, so documents written from the same input are byte-identical.</summary>
    public static Dictionary<string, decimal> Sorted(IReadOnlyDictionary<string, decimal> amounts) =>
        amounts.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
}
