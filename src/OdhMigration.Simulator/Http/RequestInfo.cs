using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// A request path decoded the way the API server's RequestInfoResolver does: discovery documents, or a resource
/// request with verb (get, list, watch, create, update, patch, delete, deletecollection), namespace, name and subresource.
/// </summary>
public sealed record RequestInfo(string Verb, ResourceKind? Kind, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>The resource for counters and fault filters: the plural, or the discovery path for non-resource requests.</summary>
    public string Resource => Kind?.Plural ?? "discovery";

    public static RequestInfo Parse(string method, string path, bool watch, KindRegistry kinds)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return new RequestInfo("discovery", null, null, null, null);
        }

        var parts = segments[rest..];
        if (parts.Length == 0)
        {
            return new RequestInfo("discovery", null, null, null, null);
        }

        string? ns = null;
        if (parts[0] == "namespaces" && parts.Length >= 3 && !(parts.Length == 3 && parts[2] is "status" or "finalize"))
        {
            ns = parts[1];
            parts = parts[2..];
        }

        var plural = parts[0];
        var kind = kinds.Find(group, version, plural)
            ?? throw new ApiException(404, "NotFound", $"the server could not find the requested resource (no {plural} in {(group.Length == 0 ? version : group + "/" + version)})");
        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? string.Join('/', parts[2..]) : null;
        if (kind.Plural == "namespaces" && name is not null)
        {
            ns = null;
        }

        var verb = (method, name) switch
        {
            ("GET", null) => watch ? "watch" : "list",
            ("GET", _) => watch ? "watch" : "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", not null) => "delete",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource: {method} {path}"),
        };
        return new RequestInfo(verb, kind, ns, name, subresource);
    }
}
