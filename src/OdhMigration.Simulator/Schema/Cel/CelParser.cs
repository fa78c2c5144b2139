namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// A recursive-descent parser for the CEL grammar (cel-spec langdef.md): ternary, <c>||</c>, <c>&amp;&amp;</c>,
/// relations, <c>!</c>, a minus on numeric literals, member selection, index, calls, list literals and the
/// <c>has</c>/<c>all</c>/<c>exists</c>/<c>exists_one</c> macros. Everything else (arithmetic, map literals, other
/// functions and macros, identifiers other than <c>self</c>/<c>oldSelf</c>/macro variables) is
/// <see cref="CelUnsupportedException"/>, so such a rule stays unevaluated rather than half understood.
/// </summary>
public sealed class CelParser
{
    private static readonly HashSet<string> Relations = new(StringComparer.Ordinal) { "==", "!=", "<", "<=", ">", ">=" };

    // Member functions and their argument counts (the receiver not counted).
    private static readonly Dictionary<string, int> Members = new(StringComparer.Ordinal)
    {
        ["size"] = 0, ["matches"] = 1, ["startsWith"] = 1, ["endsWith"] = 1, ["contains"] = 1, ["lowerAscii"] = 0,
    };

    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "all", "exists", "exists_one" };

    private readonly List<CelToken> _tokens;
    private readonly List<string> _scope = ["self", "oldSelf"];
    private int _position;

    private CelParser(string text) => _tokens = CelLexer.Tokenize(text);

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(text);
        var expr = parser.Expression();
        if (parser.Peek.Kind != CelTokenKind.End)
        {
            throw new CelUnsupportedException($"unexpected '{parser.Peek.Text}' at {parser.Peek.Position}");
        }

        return expr;
    }

    private CelToken Peek => _tokens[_position];

    private bool IsOperator(string op) => Peek.Kind == CelTokenKind.Operator && Peek.Text == op;

    private bool Accept(string op)
    {
        if (!IsOperator(op))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new CelUnsupportedException($"expected '{op}' at {Peek.Position}");
        }
    }

    private CelExpr Expression()
    {
        var condition = Or();
        if (!Accept("?"))
        {
            return condition;
        }

        var then = Or();
        Expect(":");
        return new CelConditional(condition, then, Expression());
    }

    private CelExpr Or()
    {
        var left = And();
        while (Accept("||"))
        {
            left = new CelLogical(false, left, And());
        }

        return left;
    }

    private CelExpr And()
    {
        var left = Relation();
        while (Accept("&&"))
        {
            left = new CelLogical(true, left, Relation());
        }

        return left;
    }

    private CelExpr Relation()
    {
        var left = Unary();
        while (true)
        {
            if (Peek.Kind == CelTokenKind.Operator && Relations.Contains(Peek.Text))
            {
                var op = _tokens[_position++].Text;
                left = new CelRelation(op, left, Unary());
            }
            else if (Peek.Kind == CelTokenKind.Identifier && Peek.Text == "in")
            {
                _position++;
                left = new CelRelation("in", left, Unary());
            }
            else if (Peek.Kind == CelTokenKind.Operator && Peek.Text is "+" or "-" or "*" or "/" or "%")
            {
                throw new CelUnsupportedException("arithmetic");
            }
            else
            {
                return left;
            }
        }
    }

    private CelExpr Unary()
    {
        if (Accept("!"))
        {
            return new CelNot(Unary());
        }

        if (Accept("-"))
        {
            // Only a negative numeric literal; negating other expressions is arithmetic.
            var token = Peek;
            _position++;
            var negated = token switch
            {
                { Kind: CelTokenKind.Int, Value: ulong m } when m <= (ulong)long.MaxValue => (object)(-(long)m),
                { Kind: CelTokenKind.Int, Value: ulong m } when m == (ulong)long.MaxValue + 1 => long.MinValue,
                { Kind: CelTokenKind.Double, Value: double d } => -d,
                _ => throw new CelUnsupportedException("negation"),
            };
            return Member(new CelLiteral(negated));
        }

        return Member(Primary());
    }

    private CelExpr Member(CelExpr operand)
    {
        while (true)
        {
            if (Accept("."))
            {
                var name = Identifier();
                if (!Accept("("))
                {
                    operand = new CelSelect(operand, name, TestOnly: false);
                    continue;
                }

                if (Macros.Contains(name))
                {
                    var variable = Identifier();
                    if (variable is "self" or "oldSelf")
                    {
                        throw new CelUnsupportedException("macro variable shadows self");
                    }

                    Expect(",");
                    _scope.Add(variable);
                    var predicate = Expression();
                    _scope.RemoveAt(_scope.Count - 1);
                    Expect(")");
                    operand = new CelComprehension(name, operand, variable, predicate);
                    continue;
                }

                var args = Arguments();
                if (!Members.TryGetValue(name, out var arity) || arity != args.Count)
                {
                    throw new CelUnsupportedException($"function {name}/{args.Count}");
                }

                operand = new CelCall(operand, name, args);
            }
            else if (Accept("["))
            {
                var key = Expression();
                Expect("]");
                operand = new CelIndex(operand, key);
            }
            else
            {
                return operand;
            }
        }
    }

    private CelExpr Primary()
    {
        var token = _tokens[_position++];
        switch (token.Kind)
        {
            case CelTokenKind.Int:
                return (ulong)token.Value! <= long.MaxValue ? new CelLiteral((long)(ulong)token.Value!) : throw new CelUnsupportedException("int literal out of range");
            case CelTokenKind.Uint or CelTokenKind.Double or CelTokenKind.String:
                return new CelLiteral(token.Value!);
            case CelTokenKind.Identifier:
                return IdentifierOrCall(token.Text);
            case CelTokenKind.Operator when token.Text == "(":
                var inner = Expression();
                Expect(")");
                return inner;
            case CelTokenKind.Operator when token.Text == "[":
                var items = new List<CelExpr>();
                while (!Accept("]"))
                {
                    items.Add(Expression());
                    if (!IsOperator("]"))
                    {
                        Expect(",");
                    }
                }

                return new CelListLiteral(items);
            default:
                throw new CelUnsupportedException($"unexpected '{token.Text}' at {token.Position}");
        }
    }

    private CelExpr IdentifierOrCall(string name)
    {
        switch (name)
        {
            case "true":
                return new CelLiteral(true);
            case "false":
                return new CelLiteral(false);
            case "null":
                return new CelLiteral(CelNull.Instance);
        }

        if (!Accept("("))
        {
            return _scope.Contains(name) ? new CelIdent(name) : throw new CelUnsupportedException($"identifier {name}");
        }

        if (name == "has")
        {
            var argument = Expression();
            Expect(")");
            return argument is CelSelect { TestOnly: false } select
                ? select with { TestOnly = true }
                : throw new CelUnsupportedException("has() needs a field selection");
        }

        var args = Arguments();
        return (name, args.Count) switch
        {
            ("size", 1) => new CelCall(null, "size", args),
            ("matches", 2) => new CelCall(args[0], "matches", [args[1]]),
            _ => throw new CelUnsupportedException($"function {name}/{args.Count}"),
        };
    }

    /// <summary>The arguments after an opening parenthesis, through the closing one.</summary>
    private List<CelExpr> Arguments()
    {
        var args = new List<CelExpr>();
        while (!Accept(")"))
        {
            args.Add(Expression());
            if (!IsOperator(")"))
            {
                Expect(",");
            }
        }

        return args;
    }

    private string Identifier()
    {
        var token = _tokens[_position++];
        if (token.Kind != CelTokenKind.Identifier || token.Text is "true" or "false" or "null" or "in")
        {
            throw new CelUnsupportedException($"expected an identifier at {token.Position}");
        }

        // The API server escapes property names that are not CEL identifiers (__dash__, __dot__, ...); not handled here.
        return token.Text.Contains("__", StringComparison.Ordinal) ? throw new CelUnsupportedException("escaped property name") : token.Text;
    }
}
