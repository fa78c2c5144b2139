namespace OdhMigration.Core.Cluster;

/// <summary>An API call that failed; carries the HTTP status and the Kubernetes Status reason.</summary>
public sealed class ClusterException : Exception
{
    public ClusterException(int statusCode, string reason, string message) : base(message)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public ClusterException(int statusCode, string reason, string message, Exception inner) : base(message, inner)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public ClusterException() { }
    public ClusterException(string message) : base(message) { }
    public ClusterException(string message, Exception inner) : base(message, inner) { }

    public int StatusCode { get; }
    public string Reason { get; } = "Unknown";

    /// <summary>How long the server asked the client to wait (the Retry-After header of a 429 or 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsNotFound => StatusCode == 404;
    public bool IsConflict => StatusCode == 409;
    public bool IsForbidden => StatusCode == 403;
    public bool IsTransient => StatusCode is 429 or 500 or 502 or 503 or 504 or 0;
}
