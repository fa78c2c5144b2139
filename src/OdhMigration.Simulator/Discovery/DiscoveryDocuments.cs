using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Discovery;

/// <summary>
/// The legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/&lt;group&gt;, /apis/&lt;group&gt;/&lt;version&gt;
/// and /version. kubectl asks for aggregated discovery first and falls back to these when the response is plain
/// application/json. OpenAPI (/openapi/v2, /openapi/v3) is answered 404, which kubectl tolerates: it then skips
/// client-side schema validation and field-validation probing.
/// </summary>
public static class DiscoveryDocuments
{
    private static readonly string[] StoredVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The document for a discovery path, or null when the path is not a discovery document.</summary>
    public static JsonObject? For(string path, KindRegistry kinds, string serverAddress)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["version"] => Version(),
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
            },
            ["api", var v] => ResourceList(kinds, string.Empty, v),
            ["apis"] => GroupList(kinds),
            ["apis", var g] => Groups(kinds).FirstOrDefault(x => x["name"]!.ToString() == g) is { } grp ? WithKind(grp, "APIGroup") : null,
            ["apis", var g, var v] => ResourceList(kinds, g, v),
            _ => null,
        };
    }

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "30",
        ["gitVersion"] = "v1.30.0-odh-simulator",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.22.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject GroupList(KindRegistry kinds) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups(kinds)]),
    };

    private static IEnumerable<JsonObject> Groups(KindRegistry kinds) =>
        kinds.All.Where(k => k.Group.Length > 0)
            .GroupBy(k => k.Group)
            .Select(g =>
            {
                var versions = g.Select(k => k.Version).Distinct().ToList();
                JsonObject Entry(string v) => new() { ["groupVersion"] = $"{g.Key}/{v}", ["version"] = v };
                return new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Entry(v))]),
                    ["preferredVersion"] = Entry(versions[0]),
                };
            });

    private static JsonObject WithKind(JsonObject group, string kind)
    {
        var copy = (JsonObject)group.DeepClone();
        copy["kind"] = kind;
        copy["apiVersion"] = "v1";
        return copy;
    }

    private static JsonObject? ResourceList(KindRegistry kinds, string group, string version)
    {
        var served = kinds.All.Where(k => k.Group == group && k.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var kind in served)
        {
            var isVirtual = KindRegistry.IsVirtual(kind);
            resources.Add((JsonNode)Resource(kind, kind.Plural, isVirtual ? ["create"] : StoredVerbs, kind.ShortNames));
            if (KindRegistry.HasStatus(kind))
            {
                resources.Add((JsonNode)Resource(kind, kind.Plural + "/status", ["get", "patch", "update"], []));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Resource(ResourceKind kind, string name, IEnumerable<string> verbs, IEnumerable<string> shortNames)
    {
        var resource = new JsonObject
        {
            ["name"] = name,
            ["singularName"] = name.Contains('/', StringComparison.Ordinal) ? string.Empty : kind.Kind.ToLowerInvariant(),
            ["namespaced"] = kind.Namespaced,
            ["kind"] = kind.Kind,
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        };
        var shorts = shortNames.ToList();
        if (shorts.Count > 0)
        {
            resource["shortNames"] = new JsonArray([.. shorts.Select(s => (JsonNode)s)]);
        }

        return resource;
    }
}
