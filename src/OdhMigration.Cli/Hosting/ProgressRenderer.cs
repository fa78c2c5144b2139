using System.Globalization;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// Draws progress on stderr. On a terminal one live line per stage is rewritten in place ("transform 12/40
/// ns/name ...") and finished with the stage summary; elsewhere (CI, pipes, files) every event is a plain
/// timestamped line, so logs stay readable. Everything passes through <see cref="Redactor"/>.
/// </summary>
public sealed class ProgressRenderer(TextWriter writer, bool interactive, TimeProvider? clock = null) : IProgressSink
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private int _liveLength;

    /// <summary>Live lines only when the writer is the real stderr and stderr is a terminal.</summary>
    public static ProgressRenderer For(TextWriter stderr) =>
        new(stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);

    public void Report(ProgressEvent progress)
    {
        var counter = progress.Total > 0 ? $" {progress.Done}/{progress.Total}" : "";
        var subject = progress.Item is null ? "" : " " + progress.Item + ":";
        var line = Redactor.Redact($"{progress.Stage}{counter}{subject} {progress.Message}");
        lock (_lock)
        {
            if (!interactive)
            {
                writer.WriteLine(_clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + " " + line);
                return;
            }

            // Item lines overwrite each other; stage start and finish lines stay on screen.
            var pad = _liveLength > line.Length ? new string(' ', _liveLength - line.Length) : "";
            if (progress.Item is null)
            {
                writer.Write("\r" + line + pad + "\n");
                _liveLength = 0;
            }
            else
            {
                writer.Write("\r" + line + pad);
                _liveLength = line.Length;
            }

            writer.Flush();
        }
    }
}
