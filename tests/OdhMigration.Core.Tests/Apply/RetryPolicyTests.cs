using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Tests.Apply;

public sealed class RetryPolicyTests
{
    private static (RetryPolicy Policy, List<TimeSpan> Delays) Recording(int attempts = 4)
    {
        var delays = new List<TimeSpan>();
        var policy = new RetryPolicy(attempts, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), (d, _) => { delays.Add(d); return Task.CompletedTask; });
        return (policy, delays);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_statuses_are_retried(int status)
    {
        var (policy, delays) = Recording();
        var calls = 0;
        var result = await policy.ExecuteAsync(_ => ++calls < 3 ? throw new ClusterException(status, "x", "x") : Task.FromResult(42));
        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Equal(2, delays.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task Answers_are_not_retried(int status)
    {
        var (policy, delays) = Recording();
        var calls = 0;
        await Assert.ThrowsAsync<ClusterException>(() => policy.ExecuteAsync<int>(_ => { calls++; throw new ClusterException(status, "x", "x"); }));
        Assert.Equal(1, calls);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Retry_after_wins_over_backoff()
    {
        var (policy, delays) = Recording();
        var calls = 0;
        await policy.ExecuteAsync(_ => ++calls == 1 ? throw new ClusterException(429, "TooManyRequests", "x") { RetryAfter = TimeSpan.FromSeconds(3) } : Task.FromResult(1));
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(delays));
    }

    [Fact]
    public async Task Backoff_grows_and_is_capped()
    {
        var (policy, delays) = Recording(8);
        var error = await Assert.ThrowsAsync<ClusterException>(() => policy.ExecuteAsync<int>(_ => throw new HttpRequestException("reset")));
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("gave up after 8 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)));
        Assert.True(delays[^1] >= TimeSpan.FromSeconds(1));
        Assert.True(delays[0] <= TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_cancellation_the_caller_asked_for_is_not_retried()
    {
        var (policy, delays) = Recording();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync<int>(ct => throw new OperationCanceledException(ct), cts.Token));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task A_retry_after_past_the_deadline_fails_at_once_naming_it()
    {
        var (policy, delays) = Recording();
        var calls = 0;
        var error = await Assert.ThrowsAsync<ClusterException>(() => (policy with { Deadline = TimeSpan.FromSeconds(30) }).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new ClusterException(429, "TooManyRequests", "slow down") { RetryAfter = TimeSpan.FromMinutes(1) };
        }));
        Assert.Equal(1, calls);
        Assert.Empty(delays);
        Assert.Contains("asked to retry after 60 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deadline_stops_retries_with_attempts_left()
    {
        var (policy, delays) = Recording(100);
        var calls = 0;
        var error = await Assert.ThrowsAsync<ClusterException>(() => (policy with { Deadline = TimeSpan.FromSeconds(5) }).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new ClusterException(503, "ServiceUnavailable", "down");
        }));
        Assert.InRange(calls, 3, 10);
        Assert.True(delays.Aggregate(TimeSpan.Zero, (a, d) => a + d) <= TimeSpan.FromSeconds(5));
        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, FailureKind.Throttled)]
    [InlineData(500, FailureKind.Uncertain)]
    [InlineData(503, FailureKind.Uncertain)]
    [InlineData(504, FailureKind.Uncertain)]
    [InlineData(0, FailureKind.Uncertain)]
    [InlineData(409, FailureKind.Answer)]
    [InlineData(404, FailureKind.Answer)]
    public void Failures_are_classified_as_the_api_server_means_them(int status, FailureKind expected) =>
        Assert.Equal(expected, RetryPolicy.Classify(new ClusterException(status, "x", "x"), CancellationToken.None));

    [Fact]
    public void A_policy_needs_at_least_one_attempt() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxAttempts = 0 });

    [Fact]
    public async Task A_client_timeout_is_retried()
    {
        var (policy, _) = Recording();
        var calls = 0;
        Assert.Equal(1, await policy.ExecuteAsync(_ => ++calls == 1 ? throw new TaskCanceledException("HttpClient.Timeout") : Task.FromResult(1)));
    }
}
