namespace OdhMigration.Core.Common;

public enum LogLevel { Debug, Info, Warning, Error }

/// <summary>
/// Where stage engines report progress. Core never writes to the console itself; the command-line layer
/// decides how (text, JSON, timestamps) and redacts anything that looks like a credential.
/// </summary>
public interface IStageLog
{
    void Write(LogLevel level, string message);
}

public static class StageLogExtensions
{
    public static void Debug(this IStageLog log, string message) => log.Write(LogLevel.Debug, message);
    public static void Info(this IStageLog log, string message) => log.Write(LogLevel.Info, message);
    public static void Warn(this IStageLog log, string message) => log.Write(LogLevel.Warning, message);
    public static void Error(this IStageLog log, string message) => log.Write(LogLevel.Error, message);
}

/// <summary>Collects log lines in memory (tests, reports).</summary>
public sealed class MemoryStageLog : IStageLog
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines.ToList();
            }
        }
    }

    public void Write(LogLevel level, string message)
    {
        lock (_lock)
        {
            _lines.Add((level, message));
        }
    }
}
