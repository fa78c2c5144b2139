using System.Globalization;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// Logs to stderr (stdout carries the result). Plain timestamped lines when not on a terminal, so CI logs read well.
/// Every line passes through <see cref="Redactor"/> first.
/// </summary>
public sealed class ConsoleStageLog(LogLevel minimum, TextWriter writer, bool timestamps) : IStageLog
{
    private readonly Lock _lock = new();

    public void Write(LogLevel level, string message)
    {
        if (level < minimum)
        {
            return;
        }

        var prefix = level switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error => "error: ",
            LogLevel.Debug => "debug: ",
            _ => "",
        };
        var stamp = timestamps ? DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + " " : "";
        lock (_lock)
        {
            writer.WriteLine(stamp + prefix + Redactor.Redact(Escape(message)));
        }
    }

    /// <summary>
    /// Control characters from names in a snapshot (NUL, escape sequences) are shown as \uXXXX: they would cut or
    /// repaint a terminal line. Newlines and tabs stay.
    /// </summary>
    public static string Escape(string message) =>
        message.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 && !message.Contains('\u007f', StringComparison.Ordinal)
            ? message
            : string.Concat(message.Select(c => char.IsControl(c) && c is not '\n' and not '\t' ? $"\\u{(int)c:x4}" : c.ToString()));
}
