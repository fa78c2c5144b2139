using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// Runs one stage body and turns its outcome or failure into the shared exit codes, the result files and the
/// stdout summary. Every tool goes through here, so they all behave alike.
/// </summary>
public static class StageRunner
{
    public static async Task<int> RunAsync(StageInvocation invocation, Func<StageInvocation, CancellationToken, Task<StageOutcome>> body, CancellationToken cancellationToken)
    {
        StageOutcome outcome;
        try
        {
            CheckResultDir(invocation.ResultDir);
            outcome = await body(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            outcome = Failed(ExitCodes.UsageError, ex.Message);
        }
        catch (ManifestFormatException ex)
        {
            outcome = Failed(ExitCodes.UsageError, ex.Message);
        }
        catch (PreconditionException ex)
        {
            outcome = Failed(ExitCodes.PreconditionFailed, ex.Message);
        }
        catch (ClusterException ex)
        {
            var code = ex.IsForbidden ? ExitCodes.PreconditionFailed : ExitCodes.PartialFailure;
            outcome = Failed(code, $"cluster API error ({ex.StatusCode} {ex.Reason}): {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            outcome = Failed(ExitCodes.PartialFailure, $"cannot reach the cluster: {PlainErrors.Describe(ex)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A workspace or result folder the tool cannot use (a file where a folder belongs, no permission, a
            // path refused because it would leave the workspace): input the user must fix.
            outcome = Failed(ExitCodes.UsageError, ex is Core.Workspace.WorkspacePathException ? ex.Message : PlainErrors.FileSystem(ex));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = Failed(ExitCodes.PartialFailure, "interrupted");
        }

        if (outcome.ExitCode is ExitCodes.UsageError or ExitCodes.PreconditionFailed)
        {
            invocation.Log.Error(outcome.Summary);
        }

        try
        {
            await WriteResultsAsync(invocation, outcome).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The stage ran; only its result files are missing. Never report success for a run whose requested
            // results were not written.
            var message = $"--result-dir {invocation.ResultDir}: result files not written: {PlainErrors.FileSystem(ex)}";
            invocation.Log.Error(message);
            outcome = outcome with { ExitCode = Math.Max(outcome.ExitCode, ExitCodes.PartialFailure), Summary = $"{outcome.Summary}; {message}" };
        }

        WriteSummary(invocation, outcome);
        return outcome.ExitCode;
    }

    public static string Verdict(int exitCode) => exitCode switch
    {
        ExitCodes.Success => "succeeded",
        ExitCodes.PartialFailure => "partially-failed",
        ExitCodes.UsageError => "usage-error",
        ExitCodes.PreconditionFailed => "refused",
        _ => "failed",
    };

    /// <summary>
    /// A --result-dir that cannot be written is found before the stage runs, so nothing is done for results that
    /// could not be reported.
    /// </summary>
    private static void CheckResultDir(string? dir)
    {
        if (dir is null)
        {
            return;
        }

        if (File.Exists(dir))
        {
            throw new UsageException($"--result-dir {dir}: is a file, not a folder");
        }

        var probe = Path.Combine(dir, ".write-check-" + Environment.ProcessId);
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--result-dir {dir}: cannot write there ({PlainErrors.Describe(ex)})", ex);
        }
    }

    private static StageOutcome Failed(int code, string message) => new(code, message, new Dictionary<string, string>());

    private static async Task WriteResultsAsync(StageInvocation invocation, StageOutcome outcome)
    {
        if (invocation.ResultDir is not { } dir)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "verdict"), Verdict(outcome.ExitCode)).ConfigureAwait(false);
        foreach (var (key, value) in outcome.Results)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, key), value).ConfigureAwait(false);
        }
    }

    private static void WriteSummary(StageInvocation invocation, StageOutcome outcome)
    {
        if (invocation.Output == "json")
        {
            var results = new JsonObject();
            foreach (var (key, value) in outcome.Results)
            {
                results[key] = value;
            }

            var json = new JsonObject
            {
                ["stage"] = invocation.Stage,
                ["exitCode"] = outcome.ExitCode,
                ["verdict"] = Verdict(outcome.ExitCode),
                ["summary"] = Redactor.Redact(outcome.Summary),
                ["results"] = results,
            };
            invocation.Stdout.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            invocation.Stdout.WriteLine($"{invocation.Stage}: {Redactor.Redact(ConsoleStageLog.Escape(outcome.Summary))}");
        }
    }
}
