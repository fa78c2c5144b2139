namespace OdhMigration.Core.Manifests;

/// <summary>Input that is not a usable manifest: the message always names the file (and line when known).</summary>
public sealed class ManifestFormatException : Exception
{
    public ManifestFormatException(string message) : base(message) { }
    public ManifestFormatException(string message, Exception inner) : base(message, inner) { }
    public ManifestFormatException() { }
}
