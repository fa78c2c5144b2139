using System.Text;

namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// Evaluates a <see cref="CelExpr"/> as cel-go's interpreter does for the supported subset. The result is a CEL value
/// or a <see cref="CelError"/>: errors propagate through strict operators and functions (the first operand's error
/// first), while <c>&amp;&amp;</c>/<c>||</c> are commutative (a false/true operand absorbs an error on either side) and
/// the <c>all</c>/<c>exists</c> macros likewise (cel-spec langdef.md "Logical operators", "Macros"). A situation whose
/// outcome cel-go gives in a way not reproduced here throws <see cref="CelUnsupportedException"/>.
/// </summary>
public static class CelEvaluator
{
    public static object Evaluate(CelExpr expr, object self, object? oldSelf) => Eval(expr, new Scope("self", self, oldSelf is null ? null : new Scope("oldSelf", oldSelf, null)));

    private static object Eval(CelExpr expr, Scope? scope) => expr switch
    {
        CelLiteral literal => literal.Value,
        CelIdent ident => scope?.Find(ident.Name) ?? throw new CelUnsupportedException($"{ident.Name} is not bound"),
        CelSelect select => Select(select, scope),
        CelIndex index => Index(Eval(index.Operand, scope), Eval(index.Key, scope)),
        CelCall call => Call(call, scope),
        CelListLiteral list => ListLiteral(list, scope),
        CelComprehension comprehension => Comprehension(comprehension, scope),
        CelConditional conditional => Eval(conditional.Condition, scope) switch
        {
            true => Eval(conditional.Then, scope),
            false => Eval(conditional.Else, scope),
            CelError error => error,
            _ => CelError.NoSuchOverload,
        },
        CelLogical logical => Logical(logical, scope),
        CelNot not => Eval(not.Operand, scope) switch
        {
            bool b => !b,
            CelError error => error,
            _ => CelError.NoSuchOverload,
        },
        CelRelation relation => Relation(relation.Operator, Eval(relation.Left, scope), Eval(relation.Right, scope)),
        _ => throw new CelUnsupportedException(expr.GetType().Name),
    };

    private static object Select(CelSelect select, Scope? scope)
    {
        var operand = Eval(select.Operand, scope);
        return operand switch
        {
            CelError error => error,
            CelMap map when select.TestOnly => map.Has(select.Field),
            CelMap map => map.Get(select.Field) ?? CelError.NoSuchKey(select.Field),
            _ => throw new CelUnsupportedException($"field selection on {operand.GetType().Name}"),
        };
    }

    private static object Index(object operand, object key)
    {
        if (operand is CelError || key is CelError)
        {
            return operand as CelError ?? key;
        }

        switch (operand, key)
        {
            case (CelList list, long or ulong):
                var i = key is long l ? l : (long)Math.Min((ulong)key, long.MaxValue);
                return i >= 0 && i < list.Count ? list[(int)i] : throw new CelUnsupportedException("list index out of range");
            case (CelMap map, string k):
                return map.Get(k) ?? CelError.NoSuchKey(k);
            default:
                return CelError.NoSuchOverload;
        }
    }

    private static object Call(CelCall call, Scope? scope)
    {
        var target = call.Target is null ? null : Eval(call.Target, scope);
        if (target is CelError targetError)
        {
            return targetError;
        }

        var args = new object[call.Args.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Eval(call.Args[i], scope);
            if (args[i] is CelError error)
            {
                return error;
            }
        }

        return (call.Function, target ?? args[0], target is null ? null : args.FirstOrDefault()) switch
        {
            ("size", string s, _) => (long)s.EnumerateRunes().Count(),
            ("size", CelList list, _) => (long)list.Count,
            ("size", CelMap map, _) => (long)map.Count,
            ("matches", string s, string pattern) => Re2Regex.Compile(pattern).IsMatch(s),
            ("startsWith", string s, string prefix) => s.StartsWith(prefix, StringComparison.Ordinal),
            ("endsWith", string s, string suffix) => s.EndsWith(suffix, StringComparison.Ordinal),
            ("contains", string s, string part) => s.Contains(part, StringComparison.Ordinal),
            ("lowerAscii", string s, _) => LowerAscii(s),
            _ => CelError.NoSuchOverload,
        };
    }

    private static object ListLiteral(CelListLiteral literal, Scope? scope)
    {
        var values = new List<object>(literal.Items.Count);
        foreach (var item in literal.Items)
        {
            var value = Eval(item, scope);
            if (value is CelError)
            {
                return value;
            }

            values.Add(value);
        }

        return new CelList(values);
    }

    private static object Comprehension(CelComprehension comprehension, Scope? scope)
    {
        var range = Eval(comprehension.Range, scope);
        IEnumerable<object> elements;
        switch (range)
        {
            case CelList list:
                elements = Enumerable.Range(0, list.Count).Select(i => list[i]);
                break;
            case CelMap map:
                elements = map.Keys.ToList();
                break;
            default:
                return range as CelError ?? CelError.NoSuchOverload;
        }

        // all: false absorbs errors; exists: true does; exists_one sees every element and fails on any error.
        var absorbing = comprehension.Macro == "exists";
        CelError? firstError = null;
        var trues = 0;
        foreach (var element in elements)
        {
            var result = Eval(comprehension.Predicate, new Scope(comprehension.Variable, element, scope));
            if (result is bool b)
            {
                if (comprehension.Macro != "exists_one" && b == absorbing)
                {
                    return b;
                }

                trues += b ? 1 : 0;
            }
            else
            {
                firstError ??= result as CelError ?? CelError.NoSuchOverload;
            }
        }

        return firstError ?? (object)(comprehension.Macro switch
        {
            "exists_one" => trues == 1,
            _ => !absorbing,
        });
    }

    private static object Logical(CelLogical logical, Scope? scope)
    {
        var absorbing = !logical.IsAnd;
        var left = Eval(logical.Left, scope);
        if (left is bool l && l == absorbing)
        {
            return l;
        }

        var right = Eval(logical.Right, scope);
        if (right is bool r && r == absorbing)
        {
            return r;
        }

        if (left is bool && right is bool)
        {
            return !absorbing;
        }

        var failed = left is bool ? right : left;
        return failed as CelError ?? CelError.NoSuchOverload;
    }

    private static object Relation(string op, object left, object right)
    {
        if (left is CelError || right is CelError)
        {
            return left as CelError ?? right;
        }

        switch (op)
        {
            case "==":
                return CelCompare.Equal(left, right);
            case "!=":
                return !CelCompare.Equal(left, right);
            case "in":
                return right switch
                {
                    CelList list => Enumerable.Range(0, list.Count).Any(i => CelCompare.Equal(left, list[i])),
                    CelMap map when left is string key => map.Has(key),
                    _ => CelError.NoSuchOverload,
                };
        }

        if (CelCompare.Order(left, right) is not { } order)
        {
            return CelError.NoSuchOverload;
        }

        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    /// <summary>The strings extension's lowerAscii: only A-Z change.</summary>
    private static string LowerAscii(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }

        return builder.ToString();
    }

    /// <summary>The bound variables, innermost first (macro variables shadow outer ones).</summary>
    private sealed record Scope(string Name, object Value, Scope? Outer)
    {
        public object? Find(string name) => Name == name ? Value : Outer?.Find(name);
    }
}
