namespace OdhMigration.Core.Capacity;

/// <summary>A resource amount that is not a Kubernetes quantity; the message names the object and the field.</summary>
public sealed class QuantityException : Exception
{
    public QuantityException(string message) : base(message) { }
    public QuantityException(string message, Exception inner) : base(message, inner) { }
    public QuantityException() { }
}
