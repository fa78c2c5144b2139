using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// CEL's <c>matches</c> uses Go's RE2 (regexp.MatchString: a search, not anchored). This translates the RE2 syntax
/// whose meaning differs in .NET and refuses the rest (<see cref="CelUnsupportedException"/>): <c>$</c> is the end of
/// the text in RE2 (.NET's also matches before a final newline), <c>\d \w \s</c> are ASCII in RE2 (Unicode in
/// .NET), POSIX classes <c>[[:cntrl:]]</c> exist only in RE2, <c>(?P&lt;name&gt;</c> is RE2's named group, and a
/// <c>[</c> inside a class is a plain character in RE2 (class subtraction in .NET). Word boundaries (<c>\b</c>, Unicode in .NET), Unicode classes (<c>\p</c>),
/// <c>\Q..\E</c>, <c>\C</c>, octal escapes, <c>(?m)</c>/<c>(?U)</c> flags are refused. Matching is linear-time
/// (<see cref="RegexOptions.NonBacktracking"/>), as RE2's. Known difference: .NET matches UTF-16 units, so
/// <c>.</c> meets half of a character outside the Basic Multilingual Plane where RE2 meets the whole character.
/// </summary>
public static class Re2Regex
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ", ["cntrl"] = @"\x00-\x1F\x7F",
        ["digit"] = "0-9", ["graph"] = @"!-~", ["lower"] = "a-z", ["print"] = @" -~", ["punct"] = @"!-/:-@\[-`{-~",
        ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z", ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>The compiled pattern (cached: rules carry constant patterns); throws <see cref="CelUnsupportedException"/> for RE2 syntax not handled.</summary>
    public static Regex Compile(string pattern) => Cache.GetOrAdd(pattern, p =>
    {
        try
        {
            return new Regex(Translate(p), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new CelUnsupportedException($"pattern {p}", e);
        }
    });

    public static string Translate(string pattern)
    {
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (++i >= pattern.Length)
                {
                    throw new CelUnsupportedException("trailing backslash");
                }

                output.Append(Escape(pattern[i], inClass));
            }
            else if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    var name = end < 0 ? string.Empty : pattern[(i + 2)..end];
                    output.Append(Posix.TryGetValue(name, out var range) ? range : throw new CelUnsupportedException($"POSIX class [:{name}:]"));
                    i = end + 1;
                }
                else if (c == '[')
                {
                    output.Append(@"\[");
                }
                else
                {
                    if (c == ']')
                    {
                        inClass = false;
                    }

                    output.Append(c);
                }
            }
            else if (c == '[')
            {
                inClass = true;
                output.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    output.Append(pattern[++i]);
                }

                // A ']' right after '[' or '[^' is a literal in RE2.
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    output.Append(@"\]");
                    i++;
                }
            }
            else if (c == '$')
            {
                output.Append(@"\z");
            }
            else if (c == '(' && i + 1 < pattern.Length && pattern[i + 1] == '?')
            {
                i = Group(pattern, i, output);
            }
            else
            {
                output.Append(c);
            }
        }

        return inClass ? throw new CelUnsupportedException("unterminated class") : output.ToString();
    }

    private static int Group(string pattern, int i, StringBuilder output)
    {
        if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
        {
            output.Append("(?<");
            return i + 3;
        }

        if (string.CompareOrdinal(pattern, i, "(?<", 0, 3) == 0 && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!'))
        {
            output.Append("(?<");
            return i + 2;
        }

        // Flags: (?i) (?s) (?-i) (?i:...) and the non-capturing (?:...); m and U differ or do not exist in .NET.
        var j = i + 2;
        while (j < pattern.Length && pattern[j] is 'i' or 's' or '-')
        {
            j++;
        }

        if (j >= pattern.Length || pattern[j] is not (')' or ':'))
        {
            throw new CelUnsupportedException($"group {pattern[i..Math.Min(pattern.Length, j + 1)]}");
        }

        output.Append(pattern, i, j - i);
        return j - 1;
    }

    private static string Escape(char c, bool inClass) => c switch
    {
        'd' => inClass ? "0-9" : "[0-9]",
        'w' => inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]",
        's' => inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]",
        'D' when !inClass => "[^0-9]",
        'W' when !inClass => "[^0-9A-Za-z_]",
        'S' when !inClass => @"[^\t\n\f\r ]",
        'A' or 'z' when !inClass => "\\" + c,
        'a' or 'f' or 't' or 'n' or 'r' or 'v' => "\\" + c,
        'x' => "\\x",
        _ when !char.IsAsciiLetterOrDigit(c) => "\\" + c,
        _ => throw new CelUnsupportedException($"escape \\{c}"),
    };
}
