using System.Text.Json.Nodes;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>Kubernetes <c>Status</c> bodies, the shape every client decodes API errors from.</summary>
public static class StatusResponses
{
    public static JsonObject Failure(ApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        };
        if (error.Reason.Length == 0)
        {
            status.Remove("reason"); // metav1.Status omits an unknown reason (errors that are not API errors)
        }

        if (error.Continue is { } next)
        {
            status["metadata"] = new JsonObject { ["continue"] = next };
        }

        if (error.Details is { } details)
        {
            status["details"] = details.DeepClone();
        }

        return status;
    }

    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null) =>
        Failure(new ApiException(code, reason, message, details));

    public static JsonObject Success(string kindPlural, string group, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kindPlural, ["uid"] = uid },
    };
}
