using System.Text;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Architecture;

/// <summary>
/// The product's C# sources as the architecture tests read them. A small lexer (comments, char literals, regular,
/// verbatim, interpolated and raw strings, with the holes of interpolated strings read as code) so that a "//" in a
/// string is not a comment, a quote in a comment is not a string, and a literal inside <c>$"{(x ? "a" : "b")}"</c> counts.
/// </summary>
public static class SourceFiles
{
    public static string Src => Path.Combine(RepoPaths.Root, "src");

    /// <summary>Every .cs file under <paramref name="folder"/> (build output excluded), as a path relative to src/ with '/'.</summary>
    public static IEnumerable<string> Under(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Src, folder), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Src, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Src, relative));

    /// <summary>A plain string literal ("..." or @"..."): its value, line, and the code characters right before and after it.</summary>
    public sealed record Literal(string Value, int Line, string Before, string After);

    /// <summary>The text with comments and the contents of string and char literals blanked (holes of interpolated strings kept: they are code).</summary>
    public static string CodeOnly(string text)
    {
        var code = new StringBuilder(text);
        foreach (var (start, end) in new Lexer(text).Run().Blanks)
        {
            for (var i = start; i < end; i++)
            {
                if (code[i] != '\n')
                {
                    code[i] = ' ';
                }
            }
        }

        return code.ToString();
    }

    public static IReadOnlyList<Literal> StringLiterals(string text) => new Lexer(text).Run().Literals;

    private sealed class Lexer(string s)
    {
        private int _i;

        public List<(int Start, int End)> Blanks { get; } = [];
        public List<Literal> Literals { get; } = [];

        public Lexer Run()
        {
            Code(stopAtBrace: false);
            return this;
        }

        // Reads code until the end (or, inside an interpolation hole, the '}' that closes it).
        private void Code(bool stopAtBrace)
        {
            var depth = 0;
            while (_i < s.Length)
            {
                var c = s[_i];
                if (c == '/' && At("//"))
                {
                    var end = s.IndexOf('\n', _i);
                    end = end < 0 ? s.Length : end;
                    Blanks.Add((_i, end));
                    _i = end;
                }
                else if (c == '/' && At("/*"))
                {
                    var end = s.IndexOf("*/", _i + 2, StringComparison.Ordinal);
                    end = end < 0 ? s.Length : end + 2;
                    Blanks.Add((_i, end));
                    _i = end;
                }
                else if (c == '\'')
                {
                    var start = _i++;
                    while (_i < s.Length && s[_i] != '\'')
                    {
                        _i += s[_i] == '\\' ? 2 : 1;
                    }

                    _i++;
                    Blanks.Add((start + 1, _i - 1));
                }
                else if (c is '"' or '$' or '@' && StringStart() is { } prefix)
                {
                    String(prefix);
                }
                else if (stopAtBrace && c == '{')
                {
                    depth++;
                    _i++;
                }
                else if (stopAtBrace && c == '}')
                {
                    if (depth == 0)
                    {
                        return;
                    }

                    depth--;
                    _i++;
                }
                else
                {
                    _i++;
                }
            }
        }

        private bool At(string what) => string.CompareOrdinal(s, _i, what, 0, what.Length) == 0;

        // The prefix ($ count, verbatim) when a string literal starts here, else null.
        private (int Dollars, bool Verbatim, int PrefixLength)? StringStart()
        {
            var j = _i;
            var dollars = 0;
            var verbatim = false;
            while (j < s.Length && (s[j] == '$' || s[j] == '@'))
            {
                dollars += s[j] == '$' ? 1 : 0;
                verbatim |= s[j] == '@';
                j++;
            }

            return j < s.Length && s[j] == '"' && (j == _i || !char.IsLetterOrDigit(s[j - 1]) || s[j - 1] is '$' or '@') ? (dollars, verbatim, j - _i) : null;
        }

        private void String((int Dollars, bool Verbatim, int PrefixLength) prefix)
        {
            var literalStart = _i;
            _i += prefix.PrefixLength;
            var quotes = 0;
            while (_i + quotes < s.Length && s[_i + quotes] == '"')
            {
                quotes++;
            }

            if (quotes >= 3)
            {
                // Raw string: opaque up to the same run of quotes (the suite has no interpolated raw strings to read into).
                var close = new string('"', quotes);
                var end = s.IndexOf(close, _i + quotes, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + quotes;
                Blanks.Add((_i + quotes, end - quotes));
                _i = end;
                return;
            }

            _i++; // opening quote
            var contentStart = _i;
            var plain = prefix.Dollars == 0;
            var segmentStart = _i;
            while (_i < s.Length)
            {
                var c = s[_i];
                if (prefix.Verbatim && c == '"' && _i + 1 < s.Length && s[_i + 1] == '"')
                {
                    _i += 2;
                }
                else if (!prefix.Verbatim && c == '\\')
                {
                    _i += 2;
                }
                else if (c == '"')
                {
                    break;
                }
                else if (!plain && c == '{' && _i + 1 < s.Length && s[_i + 1] == '{')
                {
                    _i += 2;
                }
                else if (!plain && c == '{')
                {
                    Blanks.Add((segmentStart, _i));
                    _i++;
                    Code(stopAtBrace: true);
                    _i++; // closing brace of the hole
                    segmentStart = _i;
                }
                else
                {
                    _i++;
                }
            }

            Blanks.Add((segmentStart, Math.Min(_i, s.Length)));
            if (plain)
            {
                var value = s[contentStart..Math.Min(_i, s.Length)];
                var line = 1 + s.AsSpan(0, literalStart).Count('\n');
                var before = s[Math.Max(0, literalStart - 8)..literalStart];
                var after = s[Math.Min(_i + 1, s.Length)..Math.Min(_i + 3, s.Length)];
                Literals.Add(new Literal(value, line, before, after));
            }

            _i++; // closing quote
        }
    }
}
