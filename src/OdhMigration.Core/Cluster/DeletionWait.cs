using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>
/// Waits for a deleted object to go. The first look comes at once, the next after 50 ms, and then the wait doubles up
/// to the caller's poll interval. A finalizer usually finishes within a fraction of a second, and for an in-place
/// migration this wait is part of the time the model is not served, so a fixed one-second poll would add up to a
/// second of downtime per ISVC (and a second per object to a cleanup).
/// </summary>
public static class DeletionWait
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Null once the object is gone, or once <paramref name="isSameObject"/> says what is there now is another
    /// object (recreated under the name); otherwise the object still there when <paramref name="timeout"/> ran out.
    /// </summary>
    public static async Task<JsonObject?> UntilGoneAsync(IClusterReader cluster, ResourceKind kind, string? ns, string name, Func<JsonObject, bool> isSameObject, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var wait = FirstPoll;
        while (true)
        {
            var live = await cluster.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
            if (live is null || !isSameObject(live))
            {
                return null;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return live;
            }

            await Task.Delay(wait < pollInterval ? wait : pollInterval, cancellationToken).ConfigureAwait(false);
            wait *= 2;
        }
    }

    /// <summary>The same object as <paramref name="uid"/> (any object under the name when the uid is unknown).</summary>
    public static Func<JsonObject, bool> SameUid(string? uid) => live => uid is null || live.Uid() == uid;
}
