using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// Kubernetes resource quantities ("100m", "2", "1.5", "4Gi", "512Mi", "1e3", "1k", "1G") as decimals in base units:
/// cores for cpu, bytes for memory and storage, units for everything else. The grammar is the API server's
/// (k8s.io/apimachinery resource.Quantity): an optionally signed decimal number followed by a binary suffix
/// (Ki..Ei), a decimal suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2).
/// </summary>
public static class Quantities
{
    private static readonly Dictionary<string, decimal> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["n"] = 0.000000001m,
        ["u"] = 0.000001m,
        ["m"] = 0.001m,
        ["k"] = 1_000m,
        ["M"] = 1_000_000m,
        ["G"] = 1_000_000_000m,
        ["T"] = 1_000_000_000_000m,
        ["P"] = 1_000_000_000_000_000m,
        ["E"] = 1_000_000_000_000_000_000m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024,
        ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    /// <summary>The quantity in base units; <paramref name="where"/> names the object and field for the error ("Pod ns/x: spec.containers[0].resources.requests.cpu").</summary>
    public static decimal Parse(string? text, string where)
    {
        if (TryParse(text, out var value, out var problem))
        {
            return value;
        }

        throw new QuantityException($"{where}: '{text}' is not a Kubernetes quantity ({problem}); expected e.g. 500m, 2, 1.5, 512Mi, 4Gi, 1e3");
    }

    /// <summary>As <see cref="Parse(string?, string)"/> for a YAML/JSON value, which may be a string (4Gi) or a number (2, 1.5).</summary>
    public static decimal Parse(JsonNode? node, string where) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Parse(v.GetValue<string>(), where),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Parse(v.ToJsonString(), where),
        null => throw new QuantityException($"{where}: no value (expected a quantity such as 500m or 4Gi)"),
        _ => throw new QuantityException($"{where}: {node.ToJsonString()} is not a Kubernetes quantity (expected a string such as 500m or 4Gi, or a number)"),
    };

    public static bool TryParse(string? text, out decimal value) => TryParse(text, out value, out _);

    private static bool TryParse(string? text, out decimal value, out string problem)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            problem = "empty";
            return false;
        }

        if (text.Trim().Length != text.Length)
        {
            problem = "surrounding spaces";
            return false;
        }

        var end = NumberEnd(text);
        var number = text[..end];
        var suffix = text[end..];
        var digits = number.TrimStart('+', '-');
        if (digits.Length == 0 || digits == "." || number.Length - digits.Length > 1 || !digits.All(c => char.IsAsciiDigit(c) || c == '.') || digits.Count(c => c == '.') > 1)
        {
            problem = "no number before the unit";
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            problem = "number out of range";
            return false;
        }

        try
        {
            if (Suffixes.TryGetValue(suffix, out var multiplier))
            {
                value = mantissa * multiplier;
                problem = "";
                return true;
            }

            if (suffix.Length >= 2 && suffix[0] is 'e' or 'E' && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                && suffix[1..].TrimStart('+', '-').All(char.IsAsciiDigit))
            {
                value = Scale(mantissa, exponent);
                problem = "";
                return true;
            }
        }
        catch (OverflowException)
        {
            problem = "too large";
            return false;
        }

        problem = $"unknown unit '{suffix}'";
        return false;
    }

    /// <summary>The amount as Kubernetes would print it in base units (cores, bytes), for messages: 0.5, 4294967296.</summary>
    public static string Format(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    // Where the number ends: sign, digits and at most one point; the suffix starts at the first other character.
    private static int NumberEnd(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        return i;
    }

    private static decimal Scale(decimal mantissa, int exponent)
    {
        if (exponent is > 28 or < -28)
        {
            throw new OverflowException();
        }

        var factor = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            factor *= 10;
        }

        return exponent >= 0 ? checked(mantissa * factor) : mantissa / factor;
    }
}
