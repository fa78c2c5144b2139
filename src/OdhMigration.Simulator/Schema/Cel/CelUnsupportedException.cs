namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// A rule uses CEL this evaluator does not implement (a function, macro, operator or regular-expression feature). The
/// rule is then not evaluated, rather than evaluated by a guess.
/// </summary>
public sealed class CelUnsupportedException : Exception
{
    public CelUnsupportedException()
    {
    }

    public CelUnsupportedException(string message)
        : base(message)
    {
    }

    public CelUnsupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
