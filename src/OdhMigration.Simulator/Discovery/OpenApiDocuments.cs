using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Discovery;

/// <summary>
/// A minimal OpenAPI v3 surface. kubectl (create/apply with the default --validate=strict) asks /openapi/v3 whether
/// the server supports the fieldValidation query parameter: it looks for the PATCH operation tagged with
/// x-kubernetes-group-version-kind in the group-version document. When found, kubectl leaves validation to the
/// server and never downloads schemas; without it, kubectl falls back to /openapi/v2 schemas and fails. So each
/// group-version document lists the item paths with that PATCH operation and no schemas at all.
/// /openapi/v2 stays 404.
/// </summary>
public static class OpenApiDocuments
{
    private const string Hash = "simulator";

    public static JsonObject? For(string path, KindRegistry kinds)
    {
        var trimmed = path.Trim('/');
        if (trimmed == "openapi/v3")
        {
            var paths = new JsonObject();
            foreach (var gv in GroupVersions(kinds))
            {
                paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={Hash}" };
            }

            return new JsonObject { ["paths"] = paths };
        }

        if (!trimmed.StartsWith("openapi/v3/", StringComparison.Ordinal))
        {
            return null;
        }

        var groupVersion = trimmed["openapi/v3/".Length..];
        var served = kinds.All.Where(k => GroupVersionPath(k) == groupVersion && !KindRegistry.IsVirtual(k)).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var operations = new JsonObject();
        foreach (var kind in served)
        {
            var itemPath = kind.Namespaced ? kind.ItemPath("{namespace}", "{name}") : kind.ItemPath(null, "{name}");
            operations[itemPath] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{kind.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = kind.Group, ["version"] = kind.Version, ["kind"] = kind.Kind },
                    ["parameters"] = new JsonArray(
                        Query("dryRun"),
                        Query("fieldManager"),
                        Query("fieldValidation"),
                        Query("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (odh simulator)", ["version"] = "v1.30.0" },
            ["paths"] = operations,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static IEnumerable<string> GroupVersions(KindRegistry kinds) =>
        kinds.All.Where(k => !KindRegistry.IsVirtual(k)).Select(GroupVersionPath).Distinct();

    private static string GroupVersionPath(ResourceKind kind) => kind.Group.Length == 0 ? $"api/{kind.Version}" : $"apis/{kind.Group}/{kind.Version}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
