using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.TestDoubles;

/// <summary>What the KServe controller does to a RawDeployment ISVC, for in-memory tests: Ready with a URL.</summary>
public static class FakeKServe
{
    public static void MakeReady(JsonObject isvc, string? url = null)
    {
        isvc["status"] = new JsonObject
        {
            ["url"] = url ?? $"https://{isvc.Name()}-{isvc.Namespace()}.apps.example.com",
            ["deploymentMode"] = "RawDeployment",
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PredictorReady", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        };
    }

    public static void MakeNotReady(JsonObject isvc, string reason, string message)
    {
        isvc["status"] = new JsonObject
        {
            ["deploymentMode"] = "RawDeployment",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = reason, ["message"] = message }),
        };
    }

    /// <summary>Installs a controller that makes every RawDeployment ISVC Ready as soon as it is written.</summary>
    public static void Install(InMemoryCluster cluster, Func<JsonObject, string?>? urlFor = null, Func<JsonObject, bool>? skip = null) =>
        cluster.AfterWrite = (_, obj) =>
        {
            if (obj.Kind() == "InferenceService" && obj.Annotation("serving.kserve.io/deploymentMode") == "RawDeployment" && skip?.Invoke(obj) != true)
            {
                MakeReady(obj, urlFor?.Invoke(obj));
            }
        };
}
