using System.Globalization;
using System.Threading.Channels;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>Event history and watch subscriptions.</summary>
public sealed partial class ObjectStore
{
    private readonly int _historyCapacity;
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<WatchSubscription> _subscriptions = [];
    private long _historyFloor;

    /// <summary>
    /// Starts a watch. Without a resourceVersion (or "0") the current objects arrive first as ADDED events, as the
    /// API server does; with one, history after it is replayed, or 410 Expired when it has been compacted away.
    /// A null <paramref name="kind"/> watches every kind (used by the in-process controllers).
    /// </summary>
    public WatchSubscription Watch(ResourceKind? kind, ListRequest filter, string? resourceVersion)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(this, kind, filter);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                if (kind is not null)
                {
                    var table = Table(kind);
                    foreach (var key in table.SortedKeys())
                    {
                        var obj = table.Items[key];
                        if (filter.Matches(obj.Namespace(), obj.Name(), obj.Labels()))
                        {
                            subscription.Offer(new StoreEvent("ADDED", kind, obj.DeepCopy(), long.Parse(ObjectMeta.ResourceVersion(obj)!, CultureInfo.InvariantCulture), null));
                        }
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
                }

                if (from < _historyFloor)
                {
                    throw ApiException.Gone($"too old resource version: {from} ({_historyFloor})");
                }

                foreach (var e in _history)
                {
                    if (e.ResourceVersion > from)
                    {
                        subscription.Offer(e);
                    }
                }
            }

            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private void Publish(StoreEvent e)
    {
        _history.Enqueue(e);
        while (_history.Count > _historyCapacity)
        {
            _historyFloor = _history.Dequeue().ResourceVersion;
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Offer(e);
        }
    }
}

/// <summary>A live watch: events are buffered in an unbounded channel until the reader takes them.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly ResourceKind? _kind;
    private readonly ListRequest _filter;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>();

    internal WatchSubscription(ObjectStore store, ResourceKind? kind, ListRequest filter)
    {
        _store = store;
        _kind = kind;
        _filter = filter;
    }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>
    /// Filters an event for this watch. A MODIFIED that moves an object into (out of) the label selector is
    /// delivered as ADDED (DELETED), which is what the API server's watch cache does; the DELETED carries the last
    /// state that matched with the event's resourceVersion (k8s.io/apiserver pkg/storage/cacher/cache_watcher.go
    /// convertToWatchEvent).
    /// </summary>
    internal void Offer(StoreEvent e)
    {
        if (_kind is not null && e.Kind.GroupResource != _kind.GroupResource)
        {
            return;
        }

        var matchesNow = _filter.Matches(e.Namespace, e.Name, e.Labels);
        if (e.Type == "MODIFIED" && e.PreviousLabels is { } before && !_filter.Labels.IsEmpty)
        {
            var matchedBefore = _filter.Matches(e.Namespace, e.Name, before);
            if (matchedBefore != matchesNow)
            {
                var shown = e.Object;
                if (!matchesNow && e.Previous is { } last)
                {
                    shown = last.DeepCopy();
                    shown.Metadata()["resourceVersion"] = e.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                }

                _channel.Writer.TryWrite(new StoreEvent(matchesNow ? "ADDED" : "DELETED", e.Kind, shown, e.ResourceVersion, null));
                return;
            }
        }

        if (matchesNow)
        {
            _channel.Writer.TryWrite(e);
        }
    }
}
