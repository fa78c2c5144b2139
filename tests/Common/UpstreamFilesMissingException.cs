namespace OdhMigration.TestSupport;

/// <summary>
/// The pinned upstream files are not available. Every test that needs them fails with this one message and no stack
/// trace: the cause is the same for all of them and the trace of each would only bury it.
/// </summary>
public sealed class UpstreamFilesMissingException : Exception
{
    public UpstreamFilesMissingException()
    {
    }

    public UpstreamFilesMissingException(string message)
        : base(message)
    {
    }

    public UpstreamFilesMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public override string? StackTrace => null;
}
