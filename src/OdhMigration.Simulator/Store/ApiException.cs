using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// A request the API server refuses. Carries what a Kubernetes <c>Status</c> body needs, so the HTTP layer
/// can render the exact shape clients (client-go, KubernetesClient) decode into typed errors.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null) : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public ApiException() : this(500, "InternalError", "internal error") { }

    public ApiException(string message) : this(500, "InternalError", message) { }

    public ApiException(string message, Exception inner) : base(message, inner)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>A continue token the Status carries in <c>metadata.continue</c> (410 for an expired list continuation).</summary>
    public string? Continue { get; init; }

    public static ApiException NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.GroupResource} \"{name}\" not found", Describe(kind, name));

    public static ApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.GroupResource} \"{name}\" already exists", Describe(kind, name));

    public static ApiException Conflict(ResourceKind kind, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {kind.GroupResource} \"{name}\": {why}", Describe(kind, name));

    public static ApiException Invalid(ResourceKind kind, string name, string field, string why) =>
        new(422, "Invalid", $"{kind.Kind}.{kind.Group} \"{name}\" is invalid: {field}: {why}".Replace(". \"", " \"", StringComparison.Ordinal), Describe(kind, name, new JsonArray(new JsonObject { ["type"] = "FieldValueInvalid", ["message"] = why, ["field"] = field })));

    /// <summary>The API server's RBAC refusal, worded as it words it.</summary>
    public static ApiException Forbidden(string verb, ResourceKind kind, string? ns) =>
        new(403, "Forbidden", $"{kind.Plural}{(kind.Group.Length == 0 ? "" : "." + kind.Group)} is forbidden: User \"system:serviceaccount:simulator\" cannot {verb} resource \"{kind.Plural}\" in API group \"{kind.Group}\" {(ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"")}");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) => new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got '{contentType}')");

    private static JsonObject Describe(ResourceKind kind, string name, JsonArray? causes = null)
    {
        var details = new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural };
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return details;
    }
}
