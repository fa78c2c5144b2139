namespace OdhMigration.Cluster;

/// <summary>
/// How hard a live request tries. API servers shed load with 429 (and say when to come back in Retry-After), and a
/// restarting control plane answers 5xx or not at all for a few seconds; neither should fail a migration step.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First back-off; doubled on every further attempt (with jitter), up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A Retry-After the server asks for is honoured up to this long; beyond it the request fails instead of hanging.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The back-off before attempt <paramref name="attempt"/> + 1, without a server hint.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);

        // Up to 20% jitter so many clients retrying together do not hit the server in lockstep.
        var jitter = capped * 0.2 * Random.Shared.NextDouble();
        return TimeSpan.FromMilliseconds(Math.Min(capped + jitter, MaxDelay.TotalMilliseconds));
    }
}
