using Microsoft.AspNetCore.Http;
using OdhMigration.Simulator.Behaviours;
using OdhMigration.Simulator.Discovery;
using OdhMigration.Simulator.Faults;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// The request pipeline: admin endpoints, then request decoding, fault injection, dispatch (discovery, watch, REST
/// verbs) and request logging. Every API error leaves as a Kubernetes Status body.
/// </summary>
internal sealed class ApiServer(ObjectStore store, FaultInjector faults, RequestLog log, AccessReviewer access, SimulatorOptions options, TimeProvider clock)
{
    private readonly AdminEndpoints _admin = new(faults, log, access);
    private readonly ResourceHandlers _resources = new(store, access, clock) { Tables = new TableConverter(options.Crds ?? Schema.CrdSchemas.Empty) };
    private readonly OpenApiDocuments _openApi = new(store.Kinds, options.Crds ?? Schema.CrdSchemas.Empty);
    private readonly WatchStreamer _watch = new(store, options.BookmarkInterval) { Tables = new TableConverter(options.Crds ?? Schema.CrdSchemas.Empty), Clock = clock };

    /// <summary>host:port the server listens on, for the /api document.</summary>
    public string ServerAddress { get; set; } = "127.0.0.1";

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/simulator/", StringComparison.Ordinal))
        {
            await _admin.HandleAsync(context, cancellationToken);
            return;
        }

        var query = context.Request.Query;
        var watch = QueryFlags.IsSet(query, "watch");
        RequestInfo info;
        try
        {
            info = RequestInfo.Parse(context.Request.Method, path, watch, store.Kinds);
        }
        catch (ApiException ex)
        {
            info = new RequestInfo("unknown", null, null, null, null);
            await WriteErrorAsync(context, ex, cancellationToken);
            Record(context, info, null);
            return;
        }

        var (fault, latencyMs, retryAfter) = faults.Decide(info.Verb, info.Resource);
        if (latencyMs > 0)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await LatencyTimer.Delay(TimeSpan.FromMilliseconds(latencyMs), cancellationToken);
            faults.RecordLatency(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        // A watch has no single answer to lose: it is dropped before it starts.
        if (fault == FaultKind.ProcessedThenDropped && info.Verb == "watch")
        {
            fault = FaultKind.Drop;
        }

        var dropAnswer = fault == FaultKind.ProcessedThenDropped;
        if (dropAnswer)
        {
            // The request is processed in full, but its answer goes nowhere; the connection is aborted below.
            context.Response.Body = Stream.Null;
        }
        else if (fault != FaultKind.None)
        {
            await InjectAsync(context, fault, retryAfter, cancellationToken);
            Record(context, info, fault.ToString());
            return;
        }

        try
        {
            if (options.EnforceAccess && info.Kind is { } kind)
            {
                var resource = info.Subresource is null ? kind.Plural : $"{kind.Plural}/{info.Subresource}";
                if (!access.Rules.Allows(info.Verb, kind.Group, resource, info.Namespace, info.Name))
                {
                    throw ApiException.Forbidden(info.Verb, kind, info.Namespace);
                }
            }

            await DispatchAsync(context, info, path, cancellationToken);
        }
        catch (ApiException ex)
        {
            await WriteErrorAsync(context, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            await WriteErrorAsync(context, ApiException.BadRequest(ex.Message), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // client went away
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A simulator bug must still look like an API server failure to the client, not a dropped connection.
            await WriteErrorAsync(context, new ApiException(500, "InternalError", $"simulator error: {ex.GetType().Name}: {ex.Message}"), cancellationToken);
        }

        // Recorded before the abort: a client that sees the dropped connection may read the log at once.
        Record(context, info, dropAnswer ? nameof(FaultKind.ProcessedThenDropped) : null);
        if (dropAnswer)
        {
            context.Abort();
        }
    }

    private async Task DispatchAsync(HttpContext context, RequestInfo info, string path, CancellationToken cancellationToken)
    {
        if (info.Kind is null)
        {
            if (HealthEndpoints.Matches(path))
            {
                await HealthEndpoints.WriteAsync(context, path, cancellationToken);
                return;
            }

            if (path.StartsWith("/openapi", StringComparison.Ordinal))
            {
                await OpenApiEndpoint.WriteAsync(context, _openApi, path, cancellationToken);
                return;
            }

            var document = context.Request.Method == "GET" ? DiscoveryDocuments.For(path, store.Kinds, ServerAddress) : null;
            if (document is null)
            {
                throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({context.Request.Method} {path})");
            }

            await HttpJson.WriteAsync(context, 200, document, cancellationToken);
            return;
        }

        if (info.Verb == "watch")
        {
            await _watch.StreamAsync(context, info, cancellationToken);
            return;
        }

        await _resources.HandleAsync(context, info, cancellationToken);
    }

    private static async Task InjectAsync(HttpContext context, FaultKind fault, int retryAfter, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case FaultKind.Drop:
                context.Abort();
                return;
            case FaultKind.TooManyRequests:
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, new ApiException(429, "TooManyRequests", "simulated fault: too many requests, please try again later", new System.Text.Json.Nodes.JsonObject { ["retryAfterSeconds"] = retryAfter }), cancellationToken);
                return;
            case FaultKind.InternalError:
                await WriteErrorAsync(context, new ApiException(500, "InternalError", "simulated fault: an error on the server has prevented the request from succeeding"), cancellationToken);
                return;
            default:
                await WriteErrorAsync(context, new ApiException(503, "ServiceUnavailable", "simulated fault: the server is currently unable to handle the request"), cancellationToken);
                return;
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await HttpJson.WriteAsync(context, error.Code, StatusResponses.Failure(error), cancellationToken);
    }

    private void Record(HttpContext context, RequestInfo info, string? fault) =>
        log.Add(new RequestRecord(
            context.Request.Method,
            info.Verb,
            info.Resource,
            info.Namespace,
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.ContentType,
            fault == nameof(FaultKind.Drop) ? 0 : context.Response.StatusCode, // processed-then-dropped: what the answer would have been
            fault));
}
