using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Which Istio/Knative annotation and label keys a RawDeployment ISVC must not carry.
/// <para>
/// The rule matches the key's <b>domain</b> (the part before '/') by suffix: a key is removed when its domain is
/// <c>istio.io</c>, <c>knative.dev</c> or <c>knative.openshift.io</c>, or a subdomain of one of them
/// (<c>sidecar.istio.io/inject</c>, <c>serving.knative.dev/creator</c>, <c>autoscaling.knative.dev/target</c>,
/// <c>networking.knative.dev/visibility</c>, <c>serving.knative.openshift.io/enablePassthrough</c>).
/// </para>
/// <para>
/// Why not the upstream script's substring regex <c>istio|knative</c>: it also strips unrelated keys that merely
/// contain those words (<c>example.com/knative-migration-owner</c>, a team label <c>istio-team</c>). Why not
/// odh-cli's fixed prefixes: they miss <c>serving.knative.openshift.io/*</c>, which the dashboard writes on every
/// Serverless ISVC. Keys without a domain are never removed.
/// </para>
/// </summary>
public static class ServerlessKeys
{
    public static readonly string[] RemovedDomains = ["istio.io", "knative.dev", "knative.openshift.io"];

    public static bool IsServerlessKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var domain = key[..slash];
        return RemovedDomains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal));
    }

    /// <summary>Removes matching keys from metadata.annotations and metadata.labels.</summary>
    public static void RemoveFromMetadata(JsonObject obj, string where, List<string> changes)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            RemoveFromMaps(metadata, where, changes);
        }
    }

    /// <summary>Removes matching keys from the "annotations" and "labels" maps of a holder (metadata or a component spec).</summary>
    public static void RemoveFromMaps(JsonObject holder, string where, List<string> changes)
    {
        foreach (var mapName in new[] { "annotations", "labels" })
        {
            if (holder[mapName] is not JsonObject map)
            {
                continue;
            }

            foreach (var key in map.Select(p => p.Key).Where(IsServerlessKey).ToList())
            {
                map.Remove(key);
                changes.Add($"removed {where} {mapName[..^1]} {key}");
            }

            if (map.Count == 0)
            {
                holder.Remove(mapName);
            }
        }
    }

    /// <summary>Drops annotations and labels whose value is null: the API server refuses them (maps of strings).</summary>
    public static void RemoveNullValues(JsonObject holder, string where, List<string> changes)
    {
        foreach (var mapName in new[] { "annotations", "labels" })
        {
            if (holder[mapName] is not JsonObject map)
            {
                continue;
            }

            foreach (var key in map.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                map.Remove(key);
                changes.Add($"removed {where} {mapName[..^1]} {key} (null value)");
            }
        }
    }
}
