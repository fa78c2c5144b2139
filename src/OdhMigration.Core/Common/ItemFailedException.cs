namespace OdhMigration.Core.Common;

/// <summary>One ISVC cannot go on (refused or failed); the others do.</summary>
public sealed class ItemFailedException : Exception
{
    public ItemFailedException(string message) : base(message) { }
    public ItemFailedException(string message, Exception inner) : base(message, inner) { }
    public ItemFailedException() { }
}
