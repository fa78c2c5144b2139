using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// KServe's validating webhook for InferenceServices (webhook "inferenceservice.kserve-webhook-server.validator",
/// kserve/kserve and opendatahub-io/kserve pkg/apis/serving/v1beta1/inference_service_validation.go and component.go,
/// as in the ODH 2.x releases): name format, autoscaler class, exactly one predictor implementation, replica and
/// concurrency bounds, logger mode, the autoscaler metrics each mode allows, and on update the deployment mode recorded
/// in status. A denial is what the API server makes of controller-runtime's: 403 Forbidden,
/// <c>admission webhook "..." denied the request: &lt;KServe's message&gt;</c>. Checks run in KServe's order; the
/// first failure answers. Not emulated: blocked env vars, multi-node (workerSpec) rules, canary, storage specs.
/// </summary>
internal sealed partial class InferenceServiceWebhook : IAdmissionCheck
{
    public const string Name = "inferenceservice.kserve-webhook-server.validator";
    private const string NameFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";

    /// <summary>PredictorSpec's fields before ComponentExtensionSpec, as ExactlyOneErrorFor lists them (component.go).</summary>
    private static readonly string[] PredictorImplementations = ["sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle", "model"];

    private const string PredictorFieldList = "SKLearn, XGBoost, Tensorflow, PyTorch, Triton, ONNX, HuggingFace, PMML, LightGBM, Paddle, Model, WorkerSpec, PodSpec";

    public void Admit(ResourceKind kind, JsonObject? previous, JsonObject candidate, WriteContext context)
    {
        if (kind != Kinds.InferenceService || context.IsStatus || ObjectMeta.IsDeleting(candidate))
        {
            return;
        }

        if (previous is not null && DeploymentModeChange(previous, candidate) is { } modeError)
        {
            throw Denied(modeError);
        }

        if (Validate(candidate) is { } error)
        {
            throw Denied(error);
        }
    }

    public static ApiException Denied(string message) =>
        new(403, "Forbidden", $"admission webhook \"{Name}\" denied the request: {message}");

    /// <summary>
    /// validateDeploymentMode: once the controller recorded a mode in status, an annotation must keep naming it; an
    /// update without the annotation passes (opendatahub-io/kserve release-v0.14 and stable-2.x
    /// inference_service_validation.go check "ok &amp;&amp; annotation != status").
    /// </summary>
    private static string? DeploymentModeChange(JsonObject previous, JsonObject candidate)
    {
        if (DeploymentModes.Normalize(previous.At("status", "deploymentMode")?.ToString()) is not { } stored)
        {
            return null;
        }

        var requested = candidate.Annotation(DeploymentModes.Annotation);
        return requested is null || DeploymentModes.Normalize(requested) == stored
            ? null
            : $"update rejected: deploymentMode cannot be changed from '{stored}' to '{requested}'";
    }

    private static string? Validate(JsonObject isvc)
    {
        var name = isvc.Name();
        if (!IsvcName().IsMatch(name))
        {
            return $"The InferenceService \"{name}\" is invalid: a InferenceService name must consist of lower case alphanumeric characters or '-', and must start with alphabetical character. (e.g. \"my-name\" or \"abc-123\", regex used for validation is '{NameFormat}')";
        }

        if (isvc.Annotation("serving.kserve.io/autoscalerClass") is { } autoscaler && autoscaler is not ("hpa" or "external"))
        {
            return $"[{autoscaler}] is not a supported autoscaler class type";
        }

        var raw = DeploymentModes.Normalize(isvc.Annotation(DeploymentModes.Annotation)) == DeploymentModes.Raw;
        foreach (var component in new[] { "predictor", "transformer", "explainer" })
        {
            if (isvc.At("spec", component) is not JsonObject spec)
            {
                continue;
            }

            if (component == "predictor" && Implementations(spec) != 1)
            {
                return $"Exactly one of [{PredictorFieldList}] must be specified in PredictorSpec";
            }

            if ((Extensions(spec) ?? Autoscaling(spec, raw, isvc.Annotation("serving.kserve.io/autoscalerClass"), isvc.Annotation("autoscaling.knative.dev/class"))) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>PredictorSpec.GetImplementations: the framework specs and model, or a custom container.</summary>
    private static int Implementations(JsonObject predictor)
    {
        var count = PredictorImplementations.Count(f => predictor[f] is JsonObject);
        if (predictor["containers"] is JsonArray { Count: > 0 } containers
            && (count == 0 || containers.Any(c => c?["name"]?.ToString() == "kserve-container")))
        {
            count++;
        }

        return count;
    }

    /// <summary>ComponentExtensionSpec.Validate: concurrency, replicas, logger.</summary>
    private static string? Extensions(JsonObject spec)
    {
        if (Number(spec["containerConcurrency"]) < 0)
        {
            return "Parallelism cannot be less than 0.";
        }

        var min = Number(spec["minReplicas"]) ?? 1;
        var max = Number(spec["maxReplicas"]) ?? 0;
        if (min < 0)
        {
            return "MinReplicas cannot be less than 0.";
        }

        if (max < 0)
        {
            return "MaxReplicas cannot be less than 0.";
        }

        if (min > max && max != 0)
        {
            return "MinReplicas cannot be greater than MaxReplicas.";
        }

        if (spec["logger"] is JsonObject logger && logger["mode"]?.ToString() is not ("all" or "request" or "response"))
        {
            return "Invalid logger type";
        }

        return null;
    }

    /// <summary>validateAutoScalingCompExtension: HPA metrics for RawDeployment, KPA metrics for Serverless.</summary>
    private static string? Autoscaling(JsonObject spec, bool raw, string? autoscalerClass, string? knativeClass)
    {
        var metric = spec["scaleMetric"]?.ToString();
        var target = Number(spec["scaleTarget"]);
        if (raw ? autoscalerClass is null or "hpa" : knativeClass == "hpa.autoscaling.knative.dev")
        {
            metric ??= "cpu";
            if (metric is not ("cpu" or "memory"))
            {
                return $"[{metric}] is not a supported metric";
            }

            if (target is { } t && ((metric == "cpu" && t < 1) || t > 100))
            {
                return "the target utilization percentage should be a [1-100] integer";
            }

            return metric == "memory" && target < 1 ? "the target memory should be greater than 1 MiB" : null;
        }

        if (raw)
        {
            return null;
        }

        if (spec["deploymentStrategy"] is not null)
        {
            return "customizing deploymentStrategy is only supported for raw deployment mode";
        }

        metric ??= "concurrency";
        if (metric is not ("concurrency" or "rps"))
        {
            return $"[{metric}] is not a supported metric";
        }

        return metric == "rps" && target < 1 ? "the target for rps should be greater than 1" : null;
    }

    private static long? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) ? n : null;

    [GeneratedRegex("^" + NameFormat + "$")]
    private static partial Regex IsvcName();
}
