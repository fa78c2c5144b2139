using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// What an exception that escaped every command means for the user: an exit code and one plain sentence, never a
/// stack trace or a runtime resource key. Input and file-system problems are exit 2 (fix the input, run again).
/// </summary>
public static class LastResort
{
    public static (int ExitCode, string Message) Map(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        UsageException or ManifestFormatException => (ExitCodes.UsageError, exception.Message),
        Core.Workspace.WorkspacePathException => (ExitCodes.UsageError, exception.Message),
        IOException or UnauthorizedAccessException => (ExitCodes.UsageError, PlainErrors.FileSystem(exception)),
        PreconditionException => (ExitCodes.PreconditionFailed, exception.Message),
        ClusterException cluster => (cluster.IsForbidden ? ExitCodes.PreconditionFailed : ExitCodes.PartialFailure, $"cluster API error ({cluster.StatusCode} {cluster.Reason}): {cluster.Message}"),
        HttpRequestException => (ExitCodes.PartialFailure, $"cannot reach the cluster: {PlainErrors.Describe(exception)}"),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.PartialFailure, "interrupted"),
        _ => (ExitCodes.PartialFailure, $"unexpected {exception.GetType().Name}: {PlainErrors.Describe(exception)}; nothing further was done (please report this with the command line that caused it)"),
    };
}
