using System.Globalization;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// Kubernetes resource quantities ("500m", "4Gi", "1.5", "2e3") as decimals, compared as the scheduler compares them
/// (cpu in millicores, everything else in whole units; the scheduler rounds other resources up to integers).
/// </summary>
internal static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m),
        ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
    ];

    /// <summary>The quantity's value, or null when it is not a quantity.</summary>
    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && Number(text[..^suffix.Length]) is { } number)
            {
                return number * factor;
            }
        }

        return Number(text);
    }

    /// <summary>The scheduler's integer view: cpu in millicores (rounded up), other resources rounded up to units.</summary>
    public static long Scaled(string resource, decimal value) =>
        (long)Math.Ceiling(resource == "cpu" ? value * 1000 : value);

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
