namespace OdhMigration.Core.Common;

/// <summary>
/// One step of long work: a stage starting or finishing (Item null), or one InferenceService done within a stage
/// (Done of Total). Messages name objects, never secret values.
/// </summary>
public sealed record ProgressEvent(string Stage, string? Item, string Message, int Done = 0, int Total = 0, bool StageFinished = false);

/// <summary>Where multi-stage runs report progress; the command line draws it (live on a terminal, timestamped lines otherwise).</summary>
public interface IProgressSink
{
    void Report(ProgressEvent progress);
}

public sealed class NullProgressSink : IProgressSink
{
    public static NullProgressSink Instance { get; } = new();

    public void Report(ProgressEvent progress)
    {
    }
}

/// <summary>Collects events in memory (tests).</summary>
public sealed class MemoryProgressSink : IProgressSink
{
    private readonly List<ProgressEvent> _events = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<ProgressEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToList();
            }
        }
    }

    public void Report(ProgressEvent progress)
    {
        lock (_lock)
        {
            _events.Add(progress);
        }
    }
}
