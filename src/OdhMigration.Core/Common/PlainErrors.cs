using System.Text.RegularExpressions;

namespace OdhMigration.Core.Common;

/// <summary>
/// Turns system exceptions into sentences a platform engineer can act on. The published tools are trimmed with
/// system resource strings removed, so the runtime's own messages arrive as resource keys followed by their
/// arguments (<c>IO_FileExists_Name, /path</c>); the sentences here are the tool's own and name the path.
/// </summary>
public static partial class PlainErrors
{
    private static readonly Dictionary<string, string> KnownKeys = new(StringComparer.Ordinal)
    {
        ["IO_FileExists_Name"] = "a file already exists where a folder or a new file is needed",
        ["IO_AlreadyExists_Name"] = "it already exists",
        ["IO_FileNotFound_FileName"] = "file not found",
        ["IO_FileNotFound"] = "file not found",
        ["IO_PathNotFound_Path"] = "folder not found",
        ["IO_PathNotFound_NoPathName"] = "folder not found",
        ["IO_PathTooLong_Path"] = "the path is too long",
        ["IO_SharingViolation_File"] = "the file is in use by another process",
        ["IO_DiskFull_Path_AllocationSize"] = "the disk is full",
        ["UnauthorizedAccess_IODenied_Path"] = "permission denied",
        ["UnauthorizedAccess_IODenied_NoPathName"] = "permission denied",
        ["Arg_InvalidFileName"] = "the path holds a character a file name may not have",
        ["Argument_InvalidPathChars"] = "the path holds a character a file name may not have",
        ["net_http_client_execution_error"] = "the request to the server failed (connection refused, reset or closed)",
        ["net_http_ssl_connection_failed"] = "the TLS connection to the server failed",
        ["net_http_request_timedout"] = "the request to the server timed out",
        ["net_io_connectionreset"] = "the server closed the connection",
        ["net_http_invalid_response_premature_eof"] = "the server closed the connection before answering",
        ["net_http_message_not_success_statuscode"] = "the server answered with an error status",
    };

    /// <summary>A sentence for <paramref name="exception"/>: what went wrong and, when known, on which path.</summary>
    public static string Describe(Exception exception)
    {
        var (key, argument) = SplitResourceKey(exception.Message);
        var path = (exception as FileNotFoundException)?.FileName ?? argument;
        var what = key is not null
            ? KnownKeys.GetValueOrDefault(key) ?? Fallback(exception)
            : exception.Message;
        if (key is null)
        {
            return exception.InnerException is { } inner && exception is HttpRequestException
                ? $"{what} ({Describe(inner)})"
                : what;
        }

        var sentence = path is { Length: > 0 } ? $"{path}: {what}" : what;
        return exception.InnerException is { } cause ? $"{sentence} ({Describe(cause)})" : sentence;
    }

    /// <summary>The exit-2 sentence for a file-system problem, e.g. "cannot use /ws/inventory.json: permission denied".</summary>
    public static string FileSystem(Exception exception) => exception switch
    {
        // The path is the news; the runtime's own words would only repeat "permission denied".
        UnauthorizedAccessException when PathOf(exception) is { } path => $"cannot read or write {path}: permission denied",
        UnauthorizedAccessException => $"cannot read or write a file: permission denied ({Describe(exception)})",
        _ => $"file system error: {Describe(exception)}",
    };

    private static string? PathOf(Exception exception) =>
        (exception as FileNotFoundException)?.FileName ?? SplitResourceKey(exception.Message).Argument ?? QuotedPath().Match(exception.Message) switch
        {
            { Success: true } match => match.Groups[1].Value,
            _ => null,
        };

    /// <summary>"IO_FileExists_Name, /x" -> ("IO_FileExists_Name", "/x"); a normal sentence -> (null, null).</summary>
    private static (string? Key, string? Argument) SplitResourceKey(string message)
    {
        var match = ResourceKey().Match(message);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Success && match.Groups[2].Length > 0 ? match.Groups[2].Value : null) : (null, null);
    }

    private static string Fallback(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException => "file not found",
        DirectoryNotFoundException => "folder not found",
        PathTooLongException => "the path is too long",
        HttpRequestException => "the request to the server failed",
        IOException => "input/output error",
        _ => "unexpected error",
    };

    // Resource keys are identifiers with underscores and no spaces, optionally followed by ", <arguments>".
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+)(?:, (.*))?$", RegexOptions.Singleline)]
    private static partial Regex ResourceKey();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedPath();
}
