using System.Globalization;

namespace OdhMigration.Bench;

/// <summary>The few options the benchmarks take, as "--name value" pairs; a bad value is reported and yields null.</summary>
internal static class BenchArgs
{
    public static int? Int(string[] args, string name, int fallback, int min)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return fallback;
        }

        if (at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        Console.Error.WriteLine($"{name}: expected a whole number, {min} or more");
        return null;
    }

    public static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
