using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OdhMigration.Simulator.Behaviours;
using OdhMigration.Simulator.Faults;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// The simulator's own endpoints under /simulator/ (never faulted, never counted):
/// GET/POST /simulator/faults, GET /simulator/requests, POST /simulator/reset-counters,
/// GET/POST /simulator/access (SelfSubjectAccessReview rules), GET /simulator/healthz.
/// </summary>
internal sealed class AdminEndpoints(FaultInjector faults, RequestLog log, AccessReviewer access)
{
    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        var method = context.Request.Method;
        try
        {
            JsonNode response = (method, path) switch
            {
                ("GET", "/simulator/healthz") => new JsonObject { ["status"] = "ok" },
                ("GET", "/simulator/faults") => faults.Settings.ToJson(),
                ("POST", "/simulator/faults") => SetFaults(JsonNode.Parse(await HttpJson.ReadBodyAsync(context, cancellationToken))),
                ("GET", "/simulator/requests") => log.ToJson(),
                ("POST", "/simulator/reset-counters") => Reset(),
                ("GET", "/simulator/access") => new JsonObject { ["default"] = access.Rules.Default, ["rules"] = access.Rules.Rules.Count },
                ("POST", "/simulator/access") => SetAccess(JsonNode.Parse(await HttpJson.ReadBodyAsync(context, cancellationToken))),
                _ => throw new ApiException(404, "NotFound", $"no simulator endpoint {method} {path}"),
            };
            await HttpJson.WriteAsync(context, 200, response, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            await HttpJson.WriteAsync(context, 400, StatusResponses.Failure(400, "BadRequest", ex.Message), cancellationToken);
        }
        catch (ApiException ex)
        {
            await HttpJson.WriteAsync(context, ex.Code, StatusResponses.Failure(ex), cancellationToken);
        }
    }

    private JsonObject SetFaults(JsonNode? body)
    {
        faults.Settings = FaultSettings.FromJson(body, faults.Settings);
        return faults.Settings.ToJson();
    }

    private JsonObject Reset()
    {
        log.Reset();
        return new JsonObject { ["status"] = "reset" };
    }

    private JsonObject SetAccess(JsonNode? body)
    {
        access.Rules = AccessReviewer.Parse(body);
        return new JsonObject { ["default"] = access.Rules.Default, ["rules"] = access.Rules.Rules.Count };
    }
}
