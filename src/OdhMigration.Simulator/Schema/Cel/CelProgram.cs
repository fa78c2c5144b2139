namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// One rule compiled once (when the CRD's schema is compiled): its AST, whether it is a transition rule (uses
/// <c>oldSelf</c>), and its constant regular expressions checked up front, so an unsupported rule is known before
/// any write.
/// </summary>
public sealed class CelProgram
{
    private readonly CelExpr _expr;

    private CelProgram(CelExpr expr)
    {
        _expr = expr;
        UsesOldSelf = Visit(expr);
    }

    /// <summary>A transition rule: the API server runs it only on update where the old value exists.</summary>
    public bool UsesOldSelf { get; }

    /// <summary>The compiled rule; throws <see cref="CelUnsupportedException"/> when it uses CEL not implemented here.</summary>
    public static CelProgram Compile(string rule) => new(CelParser.Parse(rule));

    /// <summary>The rule's value for <paramref name="self"/> (and <paramref name="oldSelf"/>): a bool, another value, or a <see cref="CelError"/>.</summary>
    public object Evaluate(object self, object? oldSelf = null) => CelEvaluator.Evaluate(_expr, self, oldSelf);

    // Finds oldSelf and compiles constant patterns (a pattern RE2 has but .NET lacks fails here, not on a write).
    private static bool Visit(CelExpr expr) => expr switch
    {
        CelIdent ident => ident.Name == "oldSelf",
        CelSelect select => Visit(select.Operand),
        CelIndex index => Visit(index.Operand) | Visit(index.Key),
        CelCall { Function: "matches", Args: [CelLiteral { Value: string pattern }] } call => Compiled(pattern) | Visit(call.Target!),
        CelCall call => (call.Target is not null && Visit(call.Target)) | call.Args.Aggregate(false, (found, arg) => Visit(arg) | found),
        CelListLiteral list => list.Items.Aggregate(false, (found, item) => Visit(item) | found),
        CelComprehension comprehension => Visit(comprehension.Range) | Visit(comprehension.Predicate),
        CelConditional conditional => Visit(conditional.Condition) | Visit(conditional.Then) | Visit(conditional.Else),
        CelLogical logical => Visit(logical.Left) | Visit(logical.Right),
        CelNot not => Visit(not.Operand),
        CelRelation relation => Visit(relation.Left) | Visit(relation.Right),
        _ => false,
    };

    private static bool Compiled(string pattern)
    {
        Re2Regex.Compile(pattern);
        return false;
    }
}
