namespace OdhMigration.Core.Cluster;

/// <summary>
/// Retries a cluster call on throttling (429), server errors (5xx), dropped connections and client-side timeouts,
/// with capped exponential backoff and jitter; a Retry-After the server sent wins over the computed delay.
/// Anything else (404, 409, 403, 422, ...) is an answer, not a hiccup, and is rethrown at once.
/// </summary>
public sealed class RetryPolicy
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public RetryPolicy(int maxAttempts = 6, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), "at least one attempt");
        }

        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(10);
        _delay = delay ?? ((d, ct) => Task.Delay(d, ct));
    }

    public static RetryPolicy Default { get; } = new();

    /// <summary>No waiting between attempts (unit tests).</summary>
    public static RetryPolicy Immediate(int maxAttempts = 6) => new(maxAttempts, TimeSpan.Zero, TimeSpan.Zero, (_, _) => Task.CompletedTask);

    public int MaxAttempts { get; }
    public TimeSpan BaseDelay { get; }
    public TimeSpan MaxDelay { get; }

    /// <summary>Called before each wait with the attempt that failed, the delay and the error (for logging).</summary>
    public Action<int, TimeSpan, Exception>? OnRetry { get; init; }

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex, cancellationToken))
            {
                var wait = DelayFor(attempt, ex);
                OnRetry?.Invoke(attempt, wait, ex);
                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken = default) =>
        ExecuteAsync<bool>(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>True for failures worth another attempt; a cancellation the caller asked for never is.</summary>
    public static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ClusterException cluster => cluster.IsTransient,
        HttpRequestException => true,
        IOException => true,
        TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The wait after a failed attempt (1-based): Retry-After when given, else base * 2^(attempt-1) with jitter, capped.</summary>
    public TimeSpan DelayFor(int attempt, Exception ex)
    {
        if (ex is ClusterException { RetryAfter: { } retryAfter } && retryAfter >= TimeSpan.Zero)
        {
            return retryAfter > MaxDelay * 6 ? MaxDelay * 6 : retryAfter;
        }

        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);

        // Full jitter on the upper half keeps parallel workers from retrying in lockstep.
        var jittered = (capped / 2) + (Random.Shared.NextDouble() * capped / 2);
        return TimeSpan.FromMilliseconds(jittered);
    }
}
