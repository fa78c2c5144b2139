using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Commands;

/// <summary>Helpers for option values that hold lists or key=value pairs.</summary>
public static class OptionParsing
{
    /// <summary>"a,b" and repeated options both give a list; blanks are dropped.</summary>
    public static IReadOnlyList<string> NameList(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Parses repeated key=value options (e.g. --storage-path isvc=path); a malformed entry is a usage error naming the option.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(string optionName, IEnumerable<string>? values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == value.Length - 1)
            {
                throw new UsageException($"{optionName} '{value}': expected <name>=<value>");
            }

            result[value[..at].Trim()] = value[(at + 1)..].Trim();
        }

        return result;
    }
}
