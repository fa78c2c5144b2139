using Microsoft.Extensions.Logging;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// Feeds every store change to the in-process controllers on one background loop, like controllers sharing an
/// informer. Tracks how far it got so tests can wait until the controllers have caught up.
/// </summary>
internal sealed partial class BehaviourRunner : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly IReadOnlyList<IController> _controllers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private WatchSubscription? _subscription;
    private Task _loop = Task.CompletedTask;
    private long _processed;

    public BehaviourRunner(ObjectStore store, IReadOnlyList<IController> controllers, ILogger logger)
    {
        _store = store;
        _controllers = controllers;
        _logger = logger;
    }

    public void Start()
    {
        _subscription = _store.Watch(null, ListRequest.All(), _store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Interlocked.Exchange(ref _processed, _store.ResourceVersion);
        foreach (var controller in _controllers)
        {
            controller.Start(_stopping.Token);
        }

        _loop = Task.Run(() => RunAsync(_subscription, _stopping.Token));
    }

    /// <summary>Waits until every change made so far has been handed to the controllers (their own delayed work may still be pending).</summary>
    public async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _processed) < _store.ResourceVersion)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _subscription?.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(WatchSubscription subscription, CancellationToken stopping)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(stopping))
        {
            foreach (var controller in _controllers)
            {
                try
                {
                    controller.Handle(e, stopping);
                }
                catch (ApiException ex)
                {
                    // Lost races (NotFound, Conflict) are normal for controllers; the next event retries.
                    LogControllerRefused(_logger, controller.GetType().Name, ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogControllerFailed(_logger, ex, controller.GetType().Name);
                }
            }

            InterlockedMax(ref _processed, e.ResourceVersion);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Controller}: {Message}")]
    private static partial void LogControllerRefused(ILogger logger, string controller, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Controller} failed")]
    private static partial void LogControllerFailed(ILogger logger, Exception exception, string controller);
}
