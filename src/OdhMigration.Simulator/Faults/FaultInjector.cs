namespace OdhMigration.Simulator.Faults;

/// <summary>What to do to one request.</summary>
/// <summary>
/// What to do to one request. <see cref="Drop"/> aborts the connection before the request is processed;
/// <see cref="ProcessedThenDropped"/> processes it (a create creates, a delete deletes) and then aborts instead of
/// answering: the client cannot tell the two apart, which is the point.
/// </summary>
public enum FaultKind { None, TooManyRequests, InternalError, ServiceUnavailable, Drop, ProcessedThenDropped }

/// <summary>
/// Decides, per API request, whether to inject a fault. Thread-safe; one seeded <see cref="Random"/> drawn in request
/// order, re-seeded whenever settings change, so a test that sets a seed gets a reproducible fault sequence.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings;
    private Random _random;
    private long _latencyCount;
    private long _latencyTicks;

    public FaultInjector(FaultSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _random = new Random(settings.Seed);
    }

    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }

        set
        {
            value.Validate();
            lock (_gate)
            {
                _settings = value;
                _random = new Random(value.Seed);
                Interlocked.Exchange(ref _latencyCount, 0);
                Interlocked.Exchange(ref _latencyTicks, 0);
            }
        }
    }

    /// <summary>The mean latency actually injected since the settings last changed (what a benchmark's ideal time should be checked against); zero before any.</summary>
    public TimeSpan MeanInjectedLatency
    {
        get
        {
            var count = Interlocked.Read(ref _latencyCount);
            return count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / count);
        }
    }

    internal void RecordLatency(TimeSpan injected)
    {
        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencyTicks, injected.Ticks);
    }

    public (FaultKind Kind, int LatencyMs, int RetryAfterSeconds) Decide(string verb, string resource)
    {
        lock (_gate)
        {
            var s = _settings;
            var eligible = s.Rate > 0
                && (s.Verbs is not { Count: > 0 } || s.Verbs.Contains(verb, StringComparer.OrdinalIgnoreCase))
                && (s.Resources is not { Count: > 0 } || s.Resources.Contains(resource, StringComparer.OrdinalIgnoreCase));
            if (!eligible || _random.NextDouble() >= s.Rate)
            {
                return (FaultKind.None, s.LatencyMs, s.RetryAfterSeconds);
            }

            var kinds = s.EffectiveKinds;
            var kind = kinds[_random.Next(kinds.Count)] switch
            {
                "429" => FaultKind.TooManyRequests,
                "500" => FaultKind.InternalError,
                "503" => FaultKind.ServiceUnavailable,
                FaultSettings.ProcessedThenDroppedKind => FaultKind.ProcessedThenDropped,
                _ => FaultKind.Drop,
            };
            return (kind, s.LatencyMs, s.RetryAfterSeconds);
        }
    }
}
