using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>Where a ModelMesh ISVC's model stands: loaded, waiting for its runtime's pods, or failed with a reason.</summary>
internal enum ModelMeshState
{
    Loaded,
    WaitingForRuntime,
    Failed,
}

internal sealed record ModelMeshFacts(ModelMeshState State, string Reason = "", string Message = "");

/// <summary>
/// A ModelMesh ISVC's status as modelmesh-serving writes it (kserve/modelmesh-serving
/// pkg/predictor_source/inferenceservice_registry.go UpdateStatus): the whole status is replaced by a fresh one
/// (Status().Update of a new object) holding only modelStatus {transitionStatus, states {activeModelState,
/// targetModelState}, copies {failedCopies, totalCopies}, lastFailureInfo}, and, while the predictor is Available,
/// status.url and components.predictor {url, grpcUrl, restUrl} (the namespace's modelmesh-serving Service,
/// pkg/mmesh/modelmesh_service.go ConnectIfNeeded: grpc://modelmesh-serving.&lt;ns&gt;:8033 and, the REST proxy being on
/// in ODH's config-defaults, http://modelmesh-serving.&lt;ns&gt;:8008); conditions from a living condition set over
/// PredictorReady (MarkTrue, or MarkFalse with no reason, Ready following). No deploymentMode, address or
/// observedGeneration: modelmesh does not set them. The states follow controllers/predictor_controller.go
/// (updatePredictorStatusFromVModel, decodeModelState; fvt/helpers.go expects a new ISVC to end Loaded/""/UpToDate, or
/// FailedToLoad/""/UpToDate with lastFailureInfo reason, message and time).
/// </summary>
internal static class ModelMeshStatus
{
    private const string Service = "modelmesh-serving";

    public static JsonObject Build(JsonObject live, ModelMeshFacts facts, DateTimeOffset now)
    {
        var previous = live["status"] as JsonObject;
        var old = previous?["modelStatus"] as JsonObject;
        var servedBefore = old.At("states").Str("activeModelState") == "Loaded";
        var modelId = ModelId(live);
        string active, target, transition;
        JsonObject? failure = null;
        bool available;
        var copies = new JsonObject { ["failedCopies"] = 0 };
        switch (facts.State)
        {
            case ModelMeshState.Loaded:
                (active, target, transition, available) = ("Loaded", string.Empty, "UpToDate", true);
                copies["totalCopies"] = 1; // loaded in one runtime pod; totalCopies is omitempty at 0
                break;
            case ModelMeshState.WaitingForRuntime when servedBefore:
                // A new spec while the previous model serves: the target loads while the active one keeps serving.
                (active, target, transition, available) = ("Loaded", "Loading", "InProgress", true);
                copies["totalCopies"] = 1;
                break;
            case ModelMeshState.WaitingForRuntime:
                // SetVModel finds no runtime pod ("produced zero addresses"): only lastFailureInfo is set; the states
                // and transitionStatus stay as read from the ISVC (the registry defaults activeModelState to Pending).
                (active, target, transition, available) = (old.At("states").Str("activeModelState") is { Length: > 0 } a ? a : "Pending", string.Empty, old.Str("transitionStatus") ?? string.Empty, false);
                failure = Failure("RuntimeUnhealthy", "Waiting for runtime Pod to become available", modelId, old, now);
                break;
            default:
                // decodeModelState on the "no running instances ... [_no_runtime]" error: FailedToLoad. A served model
                // stays active and the new target is the one failing (BlockedByFailedLoad).
                (active, target, transition, available) = servedBefore
                    ? ("Loaded", "FailedToLoad", "BlockedByFailedLoad", true)
                    : ("FailedToLoad", string.Empty, "UpToDate", false);
                if (servedBefore)
                {
                    copies["totalCopies"] = 1;
                }

                failure = Failure(facts.Reason, facts.Message, modelId, old, now);
                break;
        }

        var modelStatus = new JsonObject
        {
            ["transitionStatus"] = transition,
            ["states"] = new JsonObject { ["activeModelState"] = active, ["targetModelState"] = target },
            ["copies"] = copies,
        };
        if (failure is not null)
        {
            modelStatus["lastFailureInfo"] = failure;
        }

        var status = new JsonObject { ["modelStatus"] = modelStatus };
        if (available)
        {
            var grpc = $"grpc://{Service}.{live.Namespace()}:8033";
            status["url"] = grpc;
            status["components"] = new JsonObject
            {
                ["predictor"] = new JsonObject { ["grpcUrl"] = grpc, ["restUrl"] = $"http://{Service}.{live.Namespace()}:8008", ["url"] = grpc },
            };
        }

        var condition = available ? "True" : "False";
        status["conditions"] = new JsonArray(
            StatusConditions.Condition(null, "PredictorReady", condition, null, null, now),
            StatusConditions.Condition(null, "Ready", condition, null, null, now));
        return status;
    }

    /// <summary>Whether two statuses say the same, timestamps aside (the controller writes only when something changed).</summary>
    public static bool Same(JsonObject? a, JsonObject? b) => JsonNode.DeepEquals(WithoutTimes(a), WithoutTimes(b));

    /// <summary>
    /// The model id modelmesh reports (predictor_controller.go concreteModelName: "&lt;name&gt;__isvc-&lt;10 hex
    /// digits of the predictor spec's SHA-1&gt;"); the simulator takes 10 hex digits of the SHA-256 of the ISVC's
    /// predictor as stored: the same shape, not the same digits (it cannot encode the spec as Go does anyway).
    /// </summary>
    private static string ModelId(JsonObject isvc)
    {
        var spec = isvc.At("spec", "predictor")?.ToJsonString() ?? string.Empty;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec)).AsSpan(0, 5));
        return $"{isvc.Name()}__isvc-{hash}";
    }

    /// <summary>A failure keeps its time while it stays the same failure (the controller reuses it within 20 s and does not rewrite unchanged status).</summary>
    private static JsonObject Failure(string reason, string message, string modelId, JsonObject? old, DateTimeOffset now)
    {
        var previous = old?["lastFailureInfo"] as JsonObject;
        var same = previous.Str("reason") == reason && previous.Str("message") == message && previous.Str("modelRevisionName") == modelId;
        return new JsonObject
        {
            ["message"] = message,
            ["modelRevisionName"] = modelId,
            ["reason"] = reason,
            ["time"] = same && previous.Str("time") is { } time ? time : ObjectMeta.Timestamp(now),
        };
    }

    private static JsonNode? WithoutTimes(JsonObject? status)
    {
        if (status?.DeepClone() is not JsonObject copy)
        {
            return null;
        }

        (copy.At("modelStatus", "lastFailureInfo") as JsonObject)?.Remove("time");
        foreach (var condition in (copy["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            condition.Remove("lastTransitionTime");
        }

        return copy;
    }
}
