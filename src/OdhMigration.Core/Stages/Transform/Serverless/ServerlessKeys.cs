using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Which Istio/Knative annotation and label keys a RawDeployment ISVC must not carry. The rule is a prefix match
/// on the key's domain (as odh-cli does), not the upstream script's substring regex: a substring would also strip
/// unrelated keys that merely contain "istio" or "knative" (e.g. a team label "knative-migration-owner").
/// </summary>
public static class ServerlessKeys
{
    public static readonly string[] RemovedPrefixes =
    [
        "sidecar.istio.io/",
        "istio.io/",
        "networking.istio.io/",
        "serving.knative.openshift.io/",
        "serving.knative.dev/",
        "autoscaling.knative.dev/",
        "networking.knative.dev/",
        "knative.dev/",
        "features.knative.dev/",
    ];

    public static bool IsServerlessKey(string key) => RemovedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    public static void RemoveServerlessKeys(JsonObject obj, List<string> changes)
    {
        foreach (var mapName in new[] { "annotations", "labels" })
        {
            if (obj.At("metadata", mapName) is not JsonObject map)
            {
                continue;
            }

            foreach (var key in map.Select(p => p.Key).Where(IsServerlessKey).ToList())
            {
                map.Remove(key);
                changes.Add($"removed {mapName[..^1]} {key}");
            }

            if (map.Count == 0)
            {
                obj.Metadata().Remove(mapName);
            }
        }
    }
}
