using System.Diagnostics;
using OdhMigration.Core.Common;

namespace OdhMigration.Core.Cluster;

/// <summary>How a failed attempt is treated (see <see cref="RetryPolicy.Classify"/>).</summary>
public enum FailureKind
{
    /// <summary>An answer (400, 403, 404, 409, 422, ...) or the caller's own cancellation: never retried.</summary>
    Answer,

    /// <summary>429: the server refused the request before processing it, so any verb may be sent again.</summary>
    Throttled,

    /// <summary>5xx, a dropped connection or a timeout: the request may or may not have been processed.</summary>
    Uncertain,
}

/// <summary>
/// How hard one cluster call tries and for how long. The only retry rules in the suite: <see cref="RetryingCluster"/>
/// applies them per verb (docs/retries.md has the table), the live client sends each request once. A call makes at most
/// <see cref="MaxAttempts"/> attempts, and no retry starts (nor a wait that would end) after <see cref="Deadline"/>
/// has passed since the first attempt. A Retry-After the server sends is honoured exactly when it fits in the deadline.
/// </summary>
public sealed record RetryPolicy
{
    private readonly int _maxAttempts = 6;

    public RetryPolicy()
    {
    }

    public RetryPolicy(int maxAttempts, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay ?? BaseDelay;
        MaxDelay = maxDelay ?? MaxDelay;
        Delay = delay ?? Delay;
    }

    /// <summary>Every ordinary call: 6 attempts within 3 minutes.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>
    /// Inside apply's in-place critical section (the original is deleted, the name unserved until the replacement or the
    /// restored original exists): 30 attempts within 5 minutes.
    /// </summary>
    public static RetryPolicy Patient { get; } = new(30, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5)) { Deadline = TimeSpan.FromMinutes(5) };

    /// <summary>No waiting between attempts (unit tests).</summary>
    public static RetryPolicy Immediate(int maxAttempts = 6) => new(maxAttempts, TimeSpan.Zero, TimeSpan.Zero, (_, _) => Task.CompletedTask);

    /// <summary>Attempts per call, the first included; each send of a write counts, reconciling reads are bounded separately.</summary>
    public int MaxAttempts
    {
        get => _maxAttempts;
        init => _maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a retry policy needs at least one attempt");
    }

    /// <summary>First back-off; doubled on every further attempt (jittered in its upper half), up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time from the first attempt after which no retry starts; a Retry-After that would end past it fails the call at once.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Waits between attempts (tests replace it to observe back-off without waiting).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = (wait, ct) => Task.Delay(wait, ct);

    /// <summary>Called before each wait with the attempt that failed, the delay and the error (logging, tests).</summary>
    public Action<int, TimeSpan, Exception>? OnRetry { get; init; }

    /// <summary>Runs a call that is safe to repeat whatever happened to an earlier attempt (a read, say).</summary>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default) =>
        RunAsync("call", call, settle: null, log: null, cancellationToken);

    public Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken = default) =>
        ExecuteAsync<bool>(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The same policy with at most <paramref name="remaining"/> left (reads that reconcile a write share its deadline).</summary>
    public RetryPolicy Within(TimeSpan remaining) => this with { Deadline = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining };

    /// <summary>
    /// The retry loop. <paramref name="settle"/> decides what an <see cref="FailureKind.Uncertain"/> failure left behind
    /// (null: the call may simply be repeated): it returns the call's result when the request did take effect, null to
    /// send it again, or throws the answer the caller should see. It gets the time left before the deadline.
    /// </summary>
    internal async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, Func<Exception, TimeSpan, CancellationToken, Task<Settled<T>?>>? settle, IStageLog? log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var waited = TimeSpan.Zero;

        // With a replaced Delay nothing really waits: count the waits asked for, so a deadline still bounds the retries.
        TimeSpan Spent() => Max(Stopwatch.GetElapsedTime(started), waited);
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Classify(ex, cancellationToken) != FailureKind.Answer)
            {
                failure = ex;
            }

            if (settle is not null && Classify(failure, cancellationToken) == FailureKind.Uncertain)
            {
                if (await settle(failure, Deadline - Spent(), cancellationToken).ConfigureAwait(false) is { } settled)
                {
                    return settled.Result;
                }
            }

            if (attempt >= MaxAttempts)
            {
                throw GaveUp(failure, $"gave up after {attempt} attempts in {Spent().TotalSeconds:0.#} s");
            }

            var wait = DelayFor(attempt, failure);
            if (Spent() + wait > Deadline)
            {
                var why = failure is ClusterException { RetryAfter: { } asked } && asked == wait
                    ? $"the server asked to retry after {asked.TotalSeconds:0.#} s, past this call's {Deadline.TotalSeconds:0.#} s deadline; gave up after {attempt} attempt(s)"
                    : $"gave up after {attempt} attempt(s): the {Deadline.TotalSeconds:0.#} s deadline would pass before the next";
                throw GaveUp(failure, why);
            }

            OnRetry?.Invoke(attempt, wait, failure);
            log?.Warn($"{what}: {Describe(failure)}; retrying in {wait.TotalSeconds:0.##} s (attempt {attempt + 1} of {MaxAttempts})");
            await Delay(wait, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }

    /// <summary>Which failures are worth another attempt; a cancellation the caller asked for never is.</summary>
    public static FailureKind Classify(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => FailureKind.Answer,
        ClusterException { StatusCode: 429 } => FailureKind.Throttled,
        ClusterException cluster => cluster.IsTransient ? FailureKind.Uncertain : FailureKind.Answer,
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => FailureKind.Uncertain,
        _ => FailureKind.Answer,
    };

    /// <summary>True for failures worth another attempt of a repeatable call.</summary>
    public static bool IsTransient(Exception ex, CancellationToken cancellationToken) => Classify(ex, cancellationToken) != FailureKind.Answer;

    /// <summary>The wait after a failed attempt (1-based): Retry-After when given, else base * 2^(attempt-1) jittered in its upper half, capped.</summary>
    public TimeSpan DelayFor(int attempt, Exception ex)
    {
        if (ex is ClusterException { RetryAfter: { } retryAfter })
        {
            return retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;
        }

        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);

        // Jitter keeps parallel workers (and other clients) from retrying in lockstep.
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    public static string Describe(Exception ex) => ex switch
    {
        ClusterException { StatusCode: 0 } c => c.Reason,
        ClusterException c => $"{c.StatusCode} {c.Reason}",
        _ => ex.GetType().Name,
    };

    private static Exception GaveUp(Exception failure, string why) => failure is ClusterException cluster
        ? new ClusterException(cluster.StatusCode, cluster.Reason, $"{cluster.Message} ({why})", cluster) { RetryAfter = cluster.RetryAfter }
        : new ClusterException(0, failure is OperationCanceledException or TimeoutException ? "Timeout" : "ConnectionLost", $"{PlainErrors.Describe(failure)} ({why})", failure);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>What an uncertain attempt turned out to have done: it took effect, with this result.</summary>
internal sealed record Settled<T>(T Result);
