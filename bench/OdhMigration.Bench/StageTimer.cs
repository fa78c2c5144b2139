using System.Diagnostics;
using OdhMigration.Core.Common;

namespace OdhMigration.Bench;

/// <summary>Times each stage from the chain's own start/finish events.</summary>
internal sealed class StageTimer(Dictionary<string, double> timings, HeapSampler heap, Dictionary<string, long> heapByStage) : IProgressSink
{
    private readonly Stopwatch _watch = new();

    public void Report(ProgressEvent progress)
    {
        if (progress.Item is not null)
        {
            return;
        }

        if (progress.StageFinished)
        {
            timings[progress.Stage] = _watch.Elapsed.TotalSeconds;
            heapByStage[progress.Stage] = heap.TakeMax();
        }
        else
        {
            heap.TakeMax();
            _watch.Restart();
        }
    }
}
