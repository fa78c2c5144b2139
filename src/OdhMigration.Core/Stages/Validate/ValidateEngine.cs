using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Validate;

/// <summary>
/// validate: for every ISVC the ledger says apply migrated, waits (bounded) until it is Ready with a URL in RawDeployment
/// mode, diagnoses the ones that are not, optionally sends an inference request (and compares with the original), and
/// writes validation.json, validation-junit.xml and validation-summary.md. Exit 0 only when every migrated ISVC passed.
/// </summary>
public sealed class ValidateEngine(ICluster cluster, IStageLog log, HttpClient? http = null, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(ValidateOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        UsageProblems.ThrowIfAny(options.Problems());
        var (plan, planConsumed) = await WorkspaceDocuments.ReadPlanAsync(layout, cancellationToken).ConfigureAwait(false);
        var selection = WaveSelection.Resolve(plan, options.Wave);
        var (ledger, ledgerConsumed) = await ReadLedgerAsync(layout, cancellationToken).ConfigureAwait(false);
        var request = options.RequestFile is null ? null : await ReadRequestAsync(options.RequestFile, cancellationToken).ConfigureAwait(false);

        var retrying = new RetryingCluster(cluster, options.Retry, log);
        using var ownedHttp = http is null ? CreateHttpClient(options) : null;
        var probe = new InferenceProbe(http ?? ownedHttp!);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);

        var items = plan.Items.Where(i => i.Status == ItemStatuses.Ok && selection.Includes(plan, i)).ToList();
        var results = new ValidatedItem[items.Count];
        await Parallel.ForAsync(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var record = ledger.Items.FirstOrDefault(l => l.Namespace == items[index].Namespace && l.Name == items[index].Name);
            results[index] = (await ValidateItemAsync(retrying, probe, items[index], record, request, options, deadline.Token, ct).ConfigureAwait(false)) with { Wave = WaveSelection.WaveOf(plan, items[index]) };
        }).ConfigureAwait(false);

        var passed = results.Count(r => r.Passed);

        // --wave K replaces only wave K's entries: the other waves' results (same plan) stay, so cleanup of any
        // wave finds its validation in the one validation.json. Without --wave the whole document is rewritten.
        var validatedNow = items.Select(i => (i.Namespace, i.Name)).ToHashSet();
        var kept = selection.Number is null ? [] : (await WaveProgress.PreviousValidationAsync(layout, planConsumed, cancellationToken).ConfigureAwait(false))?.Items
            .Where(v => !validatedNow.Contains((v.Namespace, v.Name))).ToList() ?? [];
        var position = WaveProgress.PlanOrder(plan);
        var merged = kept.Concat(results).OrderBy(v => v.Wave ?? 0).ThenBy(v => position.GetValueOrDefault((v.Namespace, v.Name), -1)).ToList();
        var validation = new Validation
        {
            GeneratedAt = _clock.GetUtcNow(),
            Consumed = [planConsumed, ledgerConsumed],
            Passed = merged.Count(r => r.Passed),
            Failed = merged.Count(r => !r.Passed),
            Items = merged,
        };
        var sha = await WorkspaceDocuments.WriteAsync(layout.Validation, validation, ValidationJsonContext.Default.Validation, cancellationToken).ConfigureAwait(false);
        await WorkspaceDocuments.WriteTextAtomicAsync(layout.ValidationJUnit, ValidationReports.JUnit(validation), cancellationToken: cancellationToken).ConfigureAwait(false);
        await WorkspaceDocuments.WriteTextAtomicAsync(layout.ValidationSummary, ValidationReports.Markdown(validation), cancellationToken: cancellationToken).ConfigureAwait(false);

        var summary = selection.Prefix + $"validated {results.Length} migrated InferenceService(s): {passed} passed, {results.Length - passed} failed";
        log.Info(summary);
        var resultFiles = new Dictionary<string, string>
        {
            ["validation-sha256"] = sha,
            ["passed"] = passed.ToString(CultureInfo.InvariantCulture),
            ["failed"] = (results.Length - passed).ToString(CultureInfo.InvariantCulture),

            // The cleanup gate of wave K shows wave K's results (the document holds every wave's).
            [GateSummary.ValidationResult] = selection.Prefix + GateSummary.ForValidation(validation with { Items = [.. results], Passed = passed, Failed = results.Length - passed }),
        };
        if (selection.Number is { } wave)
        {
            resultFiles["wave"] = wave.ToString(CultureInfo.InvariantCulture);
        }

        return new StageOutcome(StageOutcome.ExitFor(results.Length - passed, results.Length), summary, resultFiles);
    }

    private async Task<ValidatedItem> ValidateItemAsync(ICluster live, InferenceProbe probe, PlanItem item, LedgerItem? record, JsonNode? request, ValidateOptions options, CancellationToken deadline, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = new EndpointMap(item.Endpoint?.OldUrl, null, item.TargetNamespace, item.TargetName, item.Endpoint?.TokenSecret);
        ValidatedItem Result(bool passed, string reason, string message, List<ValidationCondition>? conditions = null, List<string>? remedies = null) => new()
        {
            Namespace = item.Namespace,
            Name = item.Name,
            TargetNamespace = item.TargetNamespace,
            TargetName = item.TargetName,
            Passed = passed,
            Reason = reason,
            Message = message,
            Conditions = conditions ?? [],
            Remedies = remedies ?? [],
            Endpoint = endpoint,
            Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
        };

        var id = $"{item.TargetNamespace}/{item.TargetName}";
        if (record?.State != LedgerItemStates.Applied)
        {
            var state = record?.State ?? "never applied";
            log.Error($"{id}: not migrated (ledger state {state}{(record?.Error is { } e ? ": " + e : "")})");
            return Result(false, ValidationReasons.NotApplied, $"apply did not complete it (ledger state {state}){(record?.Error is { } error ? ": " + error : "")}", remedies: ["run apply again; it resumes from ledger.json"]);
        }

        try
        {
            var isvc = await new ReadinessWaiter(live, options.PollInterval).WaitAsync(item.TargetNamespace, item.TargetName, deadline).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (isvc is null)
            {
                return Result(false, ValidationReasons.NotFound, $"InferenceService {id} does not exist (deleted since apply?)", remedies: ["run apply again"]);
            }

            endpoint = endpoint with { NewUrl = isvc.At("status").Str("url") };
            Diagnosis diagnosis;
            if (IsvcDiagnosis.IsServing(isvc))
            {
                diagnosis = IsvcDiagnosis.Diagnose(isvc, null, false, [], item.SourceMode);
            }
            else
            {
                var runtimeName = isvc.At("spec", "predictor", "model").Str("runtime");
                var runtime = runtimeName is null ? null : await live.GetAsync(Kinds.ServingRuntime, item.TargetNamespace, runtimeName, ct).ConfigureAwait(false);
                var pods = await live.ListAsync(Kinds.Pod, item.TargetNamespace, $"serving.kserve.io/inferenceservice={item.TargetName}", ct).ConfigureAwait(false);
                diagnosis = IsvcDiagnosis.Diagnose(isvc, runtime, runtimeName is not null, pods, item.SourceMode);
            }

            var result = Result(diagnosis.Passed, diagnosis.Reason, diagnosis.Message, diagnosis.Conditions, diagnosis.Remedies) with
            {
                TargetUid = isvc.Uid(),
                Url = isvc.At("status").Str("url"),
                DeploymentMode = isvc.At("status").Str("deploymentMode"),
            };
            if (diagnosis.Passed && request is not null)
            {
                result = await SmokeTestAsync(live, probe, item, isvc, request, options, result, ct).ConfigureAwait(false);
            }

            if (result.Passed)
            {
                log.Info($"{id}: passed ({result.Message})");
            }
            else
            {
                log.Error($"{id}: {result.Reason}: {result.Message}");
            }

            return result with { Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        }
        catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            log.Error($"{id}: cannot read it: {PlainErrors.Describe(ex)}");
            return Result(false, ValidationReasons.NotReady, $"cannot read it from the cluster: {PlainErrors.Describe(ex)}");
        }
    }

    private async Task<ValidatedItem> SmokeTestAsync(ICluster live, InferenceProbe probe, PlanItem item, JsonObject isvc, JsonNode request, ValidateOptions options, ValidatedItem result, CancellationToken ct)
    {
        var protocol = InferenceProbe.Protocol(request);
        var body = request.ToJsonString();
        var token = item.Endpoint?.TokenSecret is { } secretName ? await ReadTokenAsync(live, item.TargetNamespace, secretName, ct).ConfigureAwait(false) : null;
        string? originalUrl = null;
        string? originalToken = null;
        if (options.CompareOriginal)
        {
            var original = await live.GetAsync(Kinds.InferenceService, item.Namespace, item.Name, ct).ConfigureAwait(false);
            originalUrl = original?.Uid() != isvc.Uid() ? original?.At("status").Str("url") : null;
            var oldToken = item.DeleteOnCleanup.FirstOrDefault(d => d.Kind == "Secret" && d.Namespace == item.Namespace && d.Name.Contains("token", StringComparison.Ordinal));
            originalToken = oldToken is null ? null : await ReadTokenAsync(live, item.Namespace, oldToken.Name, ct).ConfigureAwait(false);
            if (originalUrl is null)
            {
                return result with
                {
                    Passed = false,
                    Reason = ValidationReasons.OutputMismatch,
                    Message = $"--compare-original: the original {item.Namespace}/{item.Name} is gone or has no URL (in-place replaced it); nothing to compare with",
                    Remedies = ["drop --compare-original for in-place items, or compare before cleanup"],
                };
            }
        }

        var check = await probe.CheckAsync(body, protocol, result.Url!, item.TargetName, token, originalUrl, options.CompareOriginal ? item.Name : null, originalToken, options.Tolerance, ct).ConfigureAwait(false);
        var conditions = result.Conditions.Append(new ValidationCondition("InferenceOK", check.Passed ? "True" : "False", check.Passed ? "Answered" : check.Compared ? ValidationReasons.OutputMismatch : ValidationReasons.InferenceFailed, check.Message)).ToList();
        return check.Passed
            ? result with { Inference = check, Conditions = conditions, Message = result.Message + "; " + check.Message }
            : result with
            {
                Passed = false,
                Inference = check,
                Conditions = conditions,
                Reason = check.Compared ? ValidationReasons.OutputMismatch : ValidationReasons.InferenceFailed,
                Message = check.Message,
                Remedies = [check.Compared ? "the new endpoint answers differently from the original: check the runtime version and model format (e.g. OpenVINO opset), or raise --tolerance if the difference is numerical noise" : "check the route/visibility and, with auth, the token Secret and RoleBinding"],
            };
    }

    /// <summary>The bearer token from a service-account token Secret. It is returned to the caller only, never logged.</summary>
    private static async Task<string?> ReadTokenAsync(ICluster live, string ns, string secretName, CancellationToken ct)
    {
        var secret = await live.GetAsync(Kinds.Secret, ns, secretName, ct).ConfigureAwait(false);
        if (secret.At("data").Str("token") is not { } encoded)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<(Ledger, ConsumedDocument)> ReadLedgerAsync(WorkspaceLayout layout, CancellationToken ct)
    {
        if (!File.Exists(layout.Ledger))
        {
            throw new UsageException($"{WorkspaceLayout.LedgerFile} not found in workspace {layout.Root}; run apply first");
        }

        var (_, consumed) = await WorkspaceDocuments.ReadAsync(layout, layout.Ledger, Ledger.DocumentKind, Ledger.CurrentSchemaVersion, LedgerJsonContext.Default.Ledger, ct).ConfigureAwait(false);

        // A journal left behind means apply was interrupted: its steps count (what the cluster holds), not just the last fold.
        var ledger = await LedgerStore.LoadAsync(layout, ct).ConfigureAwait(false);
        return (ledger!, consumed);
    }

    private static async Task<JsonNode> ReadRequestAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--request {path}: file not found");
        }

        try
        {
            return JsonNode.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)) ?? throw new UsageException($"--request {path}: empty JSON");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--request {path}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static HttpClient CreateHttpClient(ValidateOptions options)
    {
        var handler = new SocketsHttpHandler();
        if (options.InsecureSkipTlsVerify)
        {
            // Only on the explicit --insecure-skip-tls-verify opt-in (lab clusters with self-signed routes, like curl -k).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
