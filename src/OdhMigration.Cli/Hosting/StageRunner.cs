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
            outcome = Failed(ExitCodes.PartialFailure, $"cannot reach the cluster: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = Failed(ExitCodes.PartialFailure, "interrupted");
        }

        if (outcome.ExitCode is ExitCodes.UsageError or ExitCodes.PreconditionFailed)
        {
            invocation.Log.Error(outcome.Summary);
        }

        await WriteResultsAsync(invocation, outcome).ConfigureAwait(false);
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
            invocation.Stdout.WriteLine($"{invocation.Stage}: {Redactor.Redact(outcome.Summary)}");
        }
    }
}
