using System.Text.RegularExpressions;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// The API server's label selector grammar and validation, so a selector it refuses is refused here with its words
/// (400 BadRequest). Matching stays with <see cref="OdhMigration.Core.Manifests.LabelSelector"/>; this only decides
/// whether the text is a selector. Port of k8s.io/apimachinery pkg/labels/selector.go (Lexer, Parser,
/// NewRequirement) and pkg/util/validation (IsQualifiedName, IsValidLabelValue).
/// </summary>
public static partial class SelectorSyntax
{
    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private const string NamePartMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string PrefixMessage = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private enum Token { Identifier, DoesNotExist, Equals, DoubleEquals, NotEquals, GreaterThan, LessThan, In, NotIn, OpenPar, ClosedPar, Comma, EndOfString, Error }

    /// <summary>Throws <see cref="FormatException"/> with the API server's message when the selector is malformed.</summary>
    public static void Validate(string? selector)
    {
        var tokens = Lex(selector ?? string.Empty);
        var p = 0;
        (Token Kind, string Text) Peek(bool values = true) => Normalize(tokens[p], values);
        (Token Kind, string Text) Next(bool values = true) => Normalize(tokens[p++], values);
        while (true)
        {
            var (kind, text) = Peek();
            switch (kind)
            {
                case Token.Identifier or Token.DoesNotExist:
                    var error = Requirement(Next, Peek);
                    if (error is not null)
                    {
                        throw new FormatException("unable to parse requirement: " + error);
                    }

                    var (after, afterText) = Next();
                    if (after == Token.EndOfString)
                    {
                        return;
                    }

                    if (after != Token.Comma)
                    {
                        throw new FormatException($"found '{afterText}', expected: ',' or 'end of string'");
                    }

                    var (following, followingText) = Peek();
                    if (following is not (Token.Identifier or Token.DoesNotExist))
                    {
                        throw new FormatException($"found '{followingText}', expected: identifier after ','");
                    }

                    break;
                case Token.EndOfString:
                    return;
                default:
                    throw new FormatException($"found '{text}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private static string? Requirement(Func<bool, (Token Kind, string Text)> next, Func<bool, (Token Kind, string Text)> peek)
    {
        var (kind, key) = next(true);
        var doesNotExist = kind == Token.DoesNotExist;
        if (doesNotExist)
        {
            (kind, key) = next(true);
        }

        if (kind != Token.Identifier)
        {
            return $"found '{key}', expected: identifier";
        }

        if (KeyError(key) is { } keyError)
        {
            return $"<nil>: Invalid value: \"{key}\": {keyError}"; // the parser validates keys with a nil field path
        }

        if (peek(true).Kind is Token.EndOfString or Token.Comma || doesNotExist)
        {
            return null;
        }

        var (op, opText) = next(false);
        List<string> values = [];
        switch (op)
        {
            case Token.In or Token.NotIn:
                var (open, openText) = next(true);
                if (open != Token.OpenPar)
                {
                    return $"found '{openText}' expected: '('";
                }

                var (first, firstText) = peek(true);
                if (first == Token.ClosedPar)
                {
                    next(true);
                    values.Add(string.Empty);
                    break;
                }

                if (first is not (Token.Identifier or Token.Comma))
                {
                    return $"found '{firstText}', expected: ',', ')' or identifier";
                }

                while (true)
                {
                    var (item, itemText) = next(true);
                    if (item == Token.Identifier)
                    {
                        values.Add(itemText);
                        var (sep, sepText) = peek(true);
                        if (sep == Token.Comma)
                        {
                            continue;
                        }

                        if (sep == Token.ClosedPar)
                        {
                            next(true);
                            break;
                        }

                        return $"found '{sepText}', expected: ',' or ')'";
                    }

                    if (item == Token.Comma)
                    {
                        values.Add(string.Empty);
                        if (peek(true).Kind == Token.ClosedPar)
                        {
                            next(true);
                            break;
                        }

                        continue;
                    }

                    return $"found '{itemText}', expected: ',', or identifier";
                }

                break;
            case Token.Equals or Token.DoubleEquals or Token.NotEquals or Token.GreaterThan or Token.LessThan:
                var (valueKind, valueText) = peek(true);
                if (valueKind is Token.EndOfString or Token.Comma)
                {
                    values.Add(string.Empty);
                    break;
                }

                next(true);
                if (valueKind != Token.Identifier)
                {
                    return $"found '{valueText}', expected: identifier";
                }

                values.Add(valueText);
                if (op is Token.GreaterThan or Token.LessThan && !long.TryParse(valueText, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return $"values[0]: Invalid value: \"{valueText}\": for 'Gt', 'Lt' operators, the value must be an integer";
                }

                break;
            default:
                return $"found '{opText}', expected: in, notin, =, ==, !=, gt, lt";
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!LabelValue().IsMatch(values[i]) || values[i].Length > 63)
            {
                var why = values[i].Length > 63 ? "must be no more than 63 characters" : LabelValueMessage;
                return $"values[{i}][{key}]: Invalid value: \"{values[i]}\": {why}";
            }
        }

        return null;
    }

    /// <summary>content.IsLabelKey: an optional DNS subdomain prefix and a name part of at most 63 characters.</summary>
    private static string? KeyError(string key)
    {
        var parts = key.Split('/');
        var name = parts[^1];
        if (parts.Length > 2)
        {
            return "a qualified name " + NamePartMessage.Replace("name part must", "must", StringComparison.Ordinal) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }

        var errors = new List<string>();
        if (parts.Length == 2 && (parts[0].Length == 0 || parts[0].Length > 253 || !Subdomain().IsMatch(parts[0])))
        {
            errors.Add(parts[0].Length == 0 ? "prefix part must be non-empty" : PrefixMessage);
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            errors.Add("name part must be no more than 63 characters");
        }
        else if (!NamePart().IsMatch(name))
        {
            errors.Add(NamePartMessage);
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static (Token Kind, string Text) Normalize((Token Kind, string Text) token, bool values) =>
        values && token.Kind is Token.In or Token.NotIn ? (Token.Identifier, token.Text) : token;

    private static List<(Token Kind, string Text)> Lex(string s)
    {
        var tokens = new List<(Token, string)>();
        var i = 0;
        while (true)
        {
            while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }

            if (i >= s.Length)
            {
                tokens.Add((Token.EndOfString, string.Empty));
                return tokens;
            }

            if (IsSpecial(s[i]))
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : null;
                var (kind, text) = two switch
                {
                    "!=" => (Token.NotEquals, "!="),
                    "==" => (Token.DoubleEquals, "=="),
                    _ => s[i] switch
                    {
                        '!' => (Token.DoesNotExist, "!"),
                        '=' => (Token.Equals, "="),
                        '>' => (Token.GreaterThan, ">"),
                        '<' => (Token.LessThan, "<"),
                        '(' => (Token.OpenPar, "("),
                        ')' => (Token.ClosedPar, ")"),
                        _ => (Token.Comma, ","),
                    },
                };
                tokens.Add((kind, text));
                i += text.Length;
                continue;
            }

            var start = i;
            while (i < s.Length && !IsSpecial(s[i]) && s[i] is not (' ' or '\t' or '\n' or '\r'))
            {
                i++;
            }

            var word = s[start..i];
            tokens.Add((word switch { "in" => Token.In, "notin" => Token.NotIn, _ => Token.Identifier }, word));
        }
    }

    private static bool IsSpecial(char c) => c is '!' or '=' or '>' or '<' or '(' or ')' or ',';

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
