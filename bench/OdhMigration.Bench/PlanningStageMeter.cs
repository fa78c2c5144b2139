using System.Diagnostics;
using OdhMigration.Core.Common;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Bench;

/// <summary>Per planning stage, from the chain's own start/finish events: wall time and the API requests the simulator counted.</summary>
internal sealed class PlanningStageMeter(RequestLog requests) : IProgressSink
{
    private readonly Stopwatch _watch = new();

    public Dictionary<string, (double Seconds, long Requests)> Measured { get; } = [];

    public void Report(ProgressEvent progress)
    {
        if (progress.Item is not null)
        {
            return;
        }

        if (progress.StageFinished)
        {
            Measured[progress.Stage] = (_watch.Elapsed.TotalSeconds, requests.Counters.Values.Sum());
        }
        else
        {
            requests.Reset();
            _watch.Restart();
        }
    }
}
