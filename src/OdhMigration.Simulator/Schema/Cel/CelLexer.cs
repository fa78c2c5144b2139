using System.Globalization;
using System.Text;

namespace OdhMigration.Simulator.Schema.Cel;

public enum CelTokenKind
{
    Identifier,
    Int,
    Uint,
    Double,
    String,
    Operator,
    End,
}

/// <summary>One token; <c>Value</c> is the literal's value (long, ulong, double, string) or the operator/identifier text.</summary>
public sealed record CelToken(CelTokenKind Kind, string Text, object? Value, int Position);

/// <summary>
/// CEL's lexer (cel-spec langdef.md "Syntax"): identifiers, int/uint/double literals, quoted, triple-quoted and raw
/// strings with CEL's escapes, and the operators and punctuation. Bytes literals and reserved words are
/// <see cref="CelUnsupportedException"/>: rules using them are not evaluated here.
/// </summary>
public static class CelLexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "%"];

    // Reserved by the CEL grammar (the API server escapes such property names as __name__, not handled here).
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    public static List<CelToken> Tokenize(string text)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i + 1 < text.Length && text[i] == '/' && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (i >= text.Length)
            {
                tokens.Add(new CelToken(CelTokenKind.End, string.Empty, null, i));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if ((c is 'r' or 'R') && i + 1 < text.Length && text[i + 1] is '\'' or '"')
            {
                i++;
                tokens.Add(new CelToken(CelTokenKind.String, text[start..(i = ReadString(text, i, raw: true, out var raw))], raw, start));
            }
            else if ((c is 'b' or 'B') && i + 1 < text.Length && text[i + 1] is '\'' or '"' or 'r' or 'R')
            {
                throw new CelUnsupportedException("bytes literals");
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                if (Reserved.Contains(word))
                {
                    throw new CelUnsupportedException($"reserved word {word}");
                }

                tokens.Add(new CelToken(CelTokenKind.Identifier, word, null, start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new CelToken(CelTokenKind.String, text[start..(i = ReadString(text, i, raw: false, out var value))], value, start));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                    ?? throw new CelUnsupportedException($"unexpected character '{c}' at {i}");
                tokens.Add(new CelToken(CelTokenKind.Operator, op, null, start));
                i += op.Length;
            }
        }
    }

    private static CelToken ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
        {
            i += 2;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                i++;
            }

            var hex = text[(start + 2)..i];
            return Integer(text, ref i, start, hex, NumberStyles.AllowHexSpecifier);
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var isDouble = false;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            isDouble = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var e = i + 1;
            if (e < text.Length && text[e] is '+' or '-')
            {
                e++;
            }

            if (e < text.Length && char.IsAsciiDigit(text[e]))
            {
                isDouble = true;
                i = e;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        if (isDouble)
        {
            var literal = text[start..i];
            return new CelToken(CelTokenKind.Double, literal, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture), start);
        }

        return Integer(text, ref i, start, text[start..i], NumberStyles.None);
    }

    private static CelToken Integer(string text, ref int i, int start, string digits, NumberStyles style)
    {
        if (i < text.Length && text[i] is 'u' or 'U')
        {
            i++;
            return ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var u)
                ? new CelToken(CelTokenKind.Uint, text[start..i], u, start)
                : throw new CelUnsupportedException("uint literal out of range");
        }

        // A literal one past long.MaxValue only makes sense negated; the parser folds the minus sign.
        return ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var magnitude) && magnitude <= (ulong)long.MaxValue + 1
            ? new CelToken(CelTokenKind.Int, text[start..i], magnitude, start)
            : throw new CelUnsupportedException("int literal out of range");
    }

    /// <summary>Reads a quoted string starting at the quote; returns the index after the closing quote.</summary>
    private static int ReadString(string text, int i, bool raw, out string value)
    {
        var quote = text[i];
        var triple = i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        i += delimiter.Length;
        var builder = new StringBuilder();
        while (true)
        {
            if (i >= text.Length || (!triple && text[i] is '\n' or '\r'))
            {
                throw new CelUnsupportedException("unterminated string literal");
            }

            if (string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0)
            {
                value = builder.ToString();
                return i + delimiter.Length;
            }

            if (text[i] == '\\' && !raw)
            {
                i = Escape(text, i + 1, builder);
            }
            else
            {
                builder.Append(text[i++]);
            }
        }
    }

    private static int Escape(string text, int i, StringBuilder builder)
    {
        if (i >= text.Length)
        {
            throw new CelUnsupportedException("unterminated escape");
        }

        var c = text[i];
        switch (c)
        {
            case 'a': builder.Append('\a'); return i + 1;
            case 'b': builder.Append('\b'); return i + 1;
            case 'f': builder.Append('\f'); return i + 1;
            case 'n': builder.Append('\n'); return i + 1;
            case 'r': builder.Append('\r'); return i + 1;
            case 't': builder.Append('\t'); return i + 1;
            case 'v': builder.Append('\v'); return i + 1;
            case '\\' or '\'' or '"' or '`' or '?': builder.Append(c); return i + 1;
            case 'x' or 'X': return CodePoint(text, i + 1, 2, 16, builder);
            case 'u': return CodePoint(text, i + 1, 4, 16, builder);
            case 'U': return CodePoint(text, i + 1, 8, 16, builder);
            case >= '0' and <= '3': return CodePoint(text, i, 3, 8, builder);
            default: throw new CelUnsupportedException($"invalid escape \\{c}");
        }
    }

    private static int CodePoint(string text, int i, int length, int radix, StringBuilder builder)
    {
        if (i + length > text.Length)
        {
            throw new CelUnsupportedException("short escape");
        }

        var digits = text.Substring(i, length);
        if (!digits.All(d => radix == 16 ? char.IsAsciiHexDigit(d) : d is >= '0' and <= '7'))
        {
            throw new CelUnsupportedException($"invalid escape digits {digits}");
        }

        int code;
        try
        {
            code = Convert.ToInt32(digits, radix);
        }
        catch (FormatException e)
        {
            throw new CelUnsupportedException($"invalid escape digits {digits}", e);
        }

        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            throw new CelUnsupportedException("invalid code point");
        }

        builder.Append(char.ConvertFromUtf32(code));
        return i + length;
    }
}
