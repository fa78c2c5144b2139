using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Admission;

/// <summary>
/// validateMultiNodeSpec of KServe's ServingRuntime webhook (opendatahub-io/kserve stable-2.x
/// pkg/webhook/admission/servingruntime/servingruntime_webhook.go, with pkg/utils/utils.go HasUnknownGpuResourceType
/// and UpdateGPUResourceTypeListByAnnotation): a workerSpec cannot be removed once there, holds one container, the
/// kserve-container cannot set the parallel sizes as env vars, both containers ask only for known GPU resource types
/// (nvidia.com/gpu, amd.com/gpu, intel.com/gpu, habana.ai/gaudi, plus the spec's serving.kserve.io/gpu-resource-types
/// annotation; the inferenceservice-config additions are not emulated), and both parallel sizes are at least 1.
/// A workerSpec without containers, on which KServe's handler panics, is not checked further.
/// </summary>
internal static class ServingRuntimeMultiNode
{
    private const string GpuTypesAnnotation = "serving.kserve.io/gpu-resource-types";
    private static readonly string[] BasicResources = ["cpu", "memory", "storage", "ephemeral-storage"];
    private static readonly string[] DefaultGpuTypes = ["nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu", "habana.ai/gaudi"];

    public static string? Validate(JsonObject spec, JsonObject existingSpec)
    {
        if (spec["workerSpec"] is not JsonObject worker)
        {
            return existingSpec["workerSpec"] is JsonObject ? "removing workerSpec where it already exists is not allowed" : null;
        }

        var workerContainers = (worker["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (workerContainers.Count > 1)
        {
            return "setting multiple containers in workerSpec is not allowed";
        }

        foreach (var container in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().Where(c => c["name"]?.ToString() == "kserve-container"))
        {
            var env = (container["env"] as JsonArray ?? []).OfType<JsonObject>().Select(e => e["name"]?.ToString()).ToList();
            if (env.Contains("PIPELINE_PARALLEL_SIZE"))
            {
                return "setting PIPELINE_PARALLEL_SIZE in environment variables is not allowed";
            }

            if (env.Contains("TENSOR_PARALLEL_SIZE"))
            {
                return "setting TENSOR_PARALLEL_SIZE in environment variables is not allowed";
            }

            if (UnknownGpu(container, spec, "kserve-container") is { } error)
            {
                return error;
            }
        }

        if (workerContainers.Count == 0)
        {
            return null;
        }

        if (workerContainers[0]["name"]?.ToString() == "worker-container" && UnknownGpu(workerContainers[0], spec, "worker-container") is { } workerError)
        {
            return workerError;
        }

        var pipeline = ServingRuntimeWebhook.Number(worker["pipelineParallelSize"]) ?? 1;
        if (pipeline < 1)
        {
            return $"the WorkerSpec.PipelineParallelSize cannot be less than 1({pipeline})";
        }

        var tensor = ServingRuntimeWebhook.Number(worker["tensorParallelSize"]) ?? 1;
        return tensor < 1 ? $"the WorkerSpec.TensorParallelSize cannot be less than 1({tensor})" : null;
    }

    /// <summary>HasUnknownGpuResourceType: a resource besides the basic ones that is not an allowed GPU type.</summary>
    private static string? UnknownGpu(JsonObject container, JsonObject spec, string containerName)
    {
        var allowed = DefaultGpuTypes.ToList();
        if (spec.At("annotations", GpuTypesAnnotation)?.ToString() is { Length: > 0 } custom)
        {
            if (CustomGpuTypes(custom) is not { } types)
            {
                return $"invalid GPU format({custom}) for {GpuTypesAnnotation} annotation: must be a valid JSON array";
            }

            allowed.AddRange(types);
        }

        var requested = new[] { "limits", "requests" }
            .SelectMany(k => container.At("resources", k) as JsonObject ?? [])
            .Select(p => p.Key);
        return requested.Any(r => !BasicResources.Contains(r) && !allowed.Contains(r))
            ? $"unknown GPU resource type in a container({containerName})"
            : null;
    }

    /// <summary>IsValidCustomGPUArray: a non-empty JSON array of non-empty strings.</summary>
    private static List<string>? CustomGpuTypes(string value)
    {
        try
        {
            if (JsonNode.Parse(value) is not JsonArray { Count: > 0 } array)
            {
                return null;
            }

            var types = array.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).ToList();
            return types.Any(string.IsNullOrEmpty) ? null : types.OfType<string>().ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
