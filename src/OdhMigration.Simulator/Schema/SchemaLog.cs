using Microsoft.Extensions.Logging;

namespace OdhMigration.Simulator.Schema;

/// <summary>Log messages of schema admission: what the simulator accepts without checking, so it is never mistaken for checked.</summary>
internal static partial class SchemaLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void UnevaluatedRule(ILogger logger, string message);
}
