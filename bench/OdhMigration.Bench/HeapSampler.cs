namespace OdhMigration.Bench;

/// <summary>
/// Samples the managed heap size as the last collection left it: live objects plus older garbage that collection
/// did not reach. Unlike the peak working set it leaves out the collector's gen0 budget, which is sized from the
/// CPU's cache and so differs between machines.
/// </summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly Timer _timer;
    private long _max;
    private long _stageMax;

    public HeapSampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));

    public long MaxHeapAfterCollection
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _max);
        }
    }

    /// <summary>The largest heap since the last call, then starts over (per-stage figures).</summary>
    public long TakeMax()
    {
        Sample();
        return Interlocked.Exchange(ref _stageMax, 0);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var heapAfterLastCollection = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        RaiseTo(ref _max, heapAfterLastCollection);
        RaiseTo(ref _stageMax, heapAfterLastCollection);
    }

    private static void RaiseTo(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
