namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>A parsed CEL expression (the subset <see cref="CelParser"/> accepts).</summary>
public abstract record CelExpr;

/// <summary>A literal: bool, long, ulong, double, string or <see cref="CelNull"/>.</summary>
public sealed record CelLiteral(object Value) : CelExpr;

/// <summary><c>self</c>, <c>oldSelf</c> or a macro's iteration variable.</summary>
public sealed record CelIdent(string Name) : CelExpr;

/// <summary><c>operand.field</c>; <c>TestOnly</c> is the <c>has(operand.field)</c> macro.</summary>
public sealed record CelSelect(CelExpr Operand, string Field, bool TestOnly) : CelExpr;

/// <summary><c>operand[key]</c>.</summary>
public sealed record CelIndex(CelExpr Operand, CelExpr Key) : CelExpr;

/// <summary>A function: global (<c>size(x)</c>) or member (<c>x.startsWith(y)</c>, <c>Target</c> set).</summary>
public sealed record CelCall(CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr;

/// <summary><c>[a, b]</c>.</summary>
public sealed record CelListLiteral(IReadOnlyList<CelExpr> Items) : CelExpr;

/// <summary>The <c>all</c>, <c>exists</c> and <c>exists_one</c> macros over a list's items or a map's keys.</summary>
public sealed record CelComprehension(string Macro, CelExpr Range, string Variable, CelExpr Predicate) : CelExpr;

/// <summary><c>cond ? a : b</c>.</summary>
public sealed record CelConditional(CelExpr Condition, CelExpr Then, CelExpr Else) : CelExpr;

/// <summary><c>&amp;&amp;</c> / <c>||</c>, with CEL's commutative error and absorbing semantics.</summary>
public sealed record CelLogical(bool IsAnd, CelExpr Left, CelExpr Right) : CelExpr;

/// <summary><c>!x</c>.</summary>
public sealed record CelNot(CelExpr Operand) : CelExpr;

/// <summary>A relation: <c>== != &lt; &lt;= &gt; &gt;= in</c>.</summary>
public sealed record CelRelation(string Operator, CelExpr Left, CelExpr Right) : CelExpr;
