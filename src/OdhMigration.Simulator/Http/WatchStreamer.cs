using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// Streams a watch as newline-delimited JSON events (<c>{"type":"ADDED","object":{...}}</c>), flushing after each,
/// with optional BOOKMARK events and a server-side timeout, like the API server's watch handler.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval)
{
    /// <summary>
    /// With a Table Accept header every event's object is a one-row Table; only the first carries columnDefinitions
    /// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go: watchEmbeddedEncoder sets NoHeaders after it).
    /// </summary>
    public required TableConverter Tables { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public async Task StreamAsync(HttpContext context, RequestInfo info, CancellationToken cancellationToken)
    {
        var kind = info.Kind!;
        var query = context.Request.Query;
        var filter = ResourceHandlers.ListFromQuery(query, info.Namespace) with { Limit = 0, Continue = null };
        if (info.Name is not null)
        {
            filter = filter with { Fields = FieldFilter.Parse($"metadata.name={info.Name}") };
        }

        var bookmarks = QueryFlags.IsSet(query, "allowWatchBookmarks");
        var table = TableConverter.Wanted(context.Request.Headers.Accept.ToString());
        var includeObject = table ? TableConverter.IncludeObject(query["includeObject"]) : string.Empty;
        var headers = true;
        var timeout = query["timeoutSeconds"].ToString() is { Length: > 0 } t && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(kind, filter, query["resourceVersion"].ToString());
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            // An expired resourceVersion is reported in-stream, as the API server does for watches.
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = StatusResponses.Failure(ex) }.ToJsonString(), cancellationToken);
            return;
        }

        using (subscription)
        {
            await context.Response.Body.FlushAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var lastRv = store.ResourceVersion;
            try
            {
                while (!deadline.IsCancellationRequested)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    if (bookmarks)
                    {
                        tick.CancelAfter(bookmarkInterval);
                    }

                    try
                    {
                        if (!await subscription.Events.WaitToReadAsync(tick.Token))
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        // Every event up to the store's current resourceVersion has been offered to this watch, so
                        // when none is waiting the bookmark may advance to it.
                        var current = store.ResourceVersion;
                        await WriteLineAsync(context, Bookmark(kind, subscription.Events.Count == 0 ? Math.Max(lastRv, current) : lastRv), deadline.Token);
                        continue;
                    }

                    while (subscription.Events.TryRead(out var e))
                    {
                        lastRv = e.ResourceVersion;
                        var json = e.Json;
                        if (table)
                        {
                            json = Tables.Build(kind, [(JsonObject)JsonNode.Parse(json)!], new JsonObject { ["resourceVersion"] = e.ResourceVersion.ToString(CultureInfo.InvariantCulture) }, Clock.GetUtcNow(), includeObject, headers).ToJsonString();
                            headers = false;
                        }

                        await WriteLineAsync(context, $"{{\"type\":\"{e.Type}\",\"object\":{json}}}", deadline.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // timeoutSeconds elapsed or the client went away: end the stream cleanly.
            }
        }
    }

    private static string Bookmark(ResourceKind kind, long resourceVersion) =>
        new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject
            {
                ["kind"] = kind.Kind,
                ["apiVersion"] = kind.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            },
        }.ToJsonString();

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
