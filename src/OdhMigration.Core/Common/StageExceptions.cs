namespace OdhMigration.Core.Common;

/// <summary>Bad input (options, workspace, snapshot): exit code 2, nothing done.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
    public UsageException(string message, Exception inner) : base(message, inner) { }
    public UsageException() { }
}

/// <summary>A precondition or gate refused: exit code 3, nothing done.</summary>
public sealed class PreconditionException : Exception
{
    public PreconditionException(string message) : base(message) { }
    public PreconditionException(string message, Exception inner) : base(message, inner) { }
    public PreconditionException() { }
}
