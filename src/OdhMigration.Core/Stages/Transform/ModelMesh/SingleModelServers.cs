using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// The single-model settings of the model servers ModelMesh ships besides OVMS, in the shape of KServe's own
/// runtimes (kserve-mlserver, kserve-tritonserver): the model at /mnt/models, HTTP on 8080, gRPC on 9000, the
/// server listening on every interface (under ModelMesh it listened on localhost behind the mesh sidecar).
/// A server with no known single-model form is refused rather than converted into a pod that would load nothing.
/// </summary>
public static class SingleModelServers
{
    public const int HttpPort = 8080;
    public const int GrpcPort = 9000;
    public const string ModelDir = "/mnt/models";

    /// <summary>MLServer's implementation class per model format, as KServe's MLServer runtime documents them.</summary>
    private static readonly Dictionary<string, string> MlServerImplementations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sklearn"] = "mlserver_sklearn.SKLearnModel",
        ["xgboost"] = "mlserver_xgboost.XGBoostModel",
        ["lightgbm"] = "mlserver_lightgbm.LightGBMModel",
        ["mlflow"] = "mlserver_mlflow.MLflowRuntime",
    };

    /// <summary>ModelMesh-only MLServer settings: a model directory shared by many models, lazy loading, a dummy name, localhost only.</summary>
    private static readonly string[] MlServerMultiModelEnv = ["MLSERVER_MODELS_DIR", "MLSERVER_LOAD_MODELS_AT_STARTUP", "MLSERVER_MODEL_NAME", "MLSERVER_HOST", "MLSERVER_HTTP_PORT", "MLSERVER_GRPC_PORT"];

    /// <summary>The server a ModelMesh runtime runs: builtInAdapter.serverType, else guessed from the image.</summary>
    public static string ServerType(JsonObject runtime)
    {
        if (runtime.At("spec", "builtInAdapter").Str("serverType") is { Length: > 0 } declared)
        {
            return declared.ToLowerInvariant();
        }

        var image = RuntimeBuilder.FirstContainer(runtime)?.Str("image")?.ToLowerInvariant() ?? "";
        return image.Contains("openvino", StringComparison.Ordinal) || image.Contains("ovms", StringComparison.Ordinal) ? "ovms"
            : image.Contains("mlserver", StringComparison.Ordinal) ? "mlserver"
            : image.Contains("tritonserver", StringComparison.Ordinal) ? "triton"
            : image.Contains("torchserve", StringComparison.Ordinal) ? "torchserve"
            : "custom";
    }

    /// <summary>Rewrites the (already renamed) container for single-model serving of a model of the given format.</summary>
    public static void Convert(string serverType, JsonObject source, JsonObject spec, JsonObject container, string? modelFormat, List<string> changes)
    {
        switch (serverType)
        {
            case "mlserver":
                ConvertMlServer(source, container, modelFormat, changes);
                break;
            case "triton":
                ConvertTriton(container, changes);
                break;
            default:
                throw new TransformRefusedException(
                    $"ModelMesh ServingRuntime {source.Name()} runs server type '{serverType}', which has no known single-model configuration to convert to; give --runtime-template {source.Name()}=<template> naming a single-model (KServe) runtime Template");
        }

        spec["protocolVersions"] = new JsonArray("v2", "grpc-v2");
        changes.Add("runtime: protocolVersions [v2, grpc-v2]");
        container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = HttpPort, ["name"] = "http1", ["protocol"] = "TCP" });
        changes.Add($"runtime: containerPort {HttpPort} (HTTP; KServe routes to the first port)");
    }

    private static void ConvertMlServer(JsonObject runtime, JsonObject container, string? modelFormat, List<string> changes)
    {
        if (modelFormat is null || !MlServerImplementations.TryGetValue(modelFormat, out var implementation))
        {
            throw new TransformRefusedException(
                $"ModelMesh ServingRuntime {runtime.Name()} (MLServer): model format '{modelFormat ?? "none"}' (spec.predictor.model.modelFormat.name) has no known MLServer implementation ({string.Join(", ", MlServerImplementations.Keys)}); give --runtime-template {runtime.Name()}=<template>");
        }

        var env = container["env"] as JsonArray ?? [];
        var kept = new JsonArray();
        foreach (var entry in env.OfType<JsonObject>())
        {
            if (MlServerMultiModelEnv.Contains(entry.Str("name"), StringComparer.Ordinal))
            {
                // The name only: an env value is not shown in a document meant for people (docs/workspace.md).
                changes.Add($"runtime: removed multi-model setting {entry.Str("name")}");
                continue;
            }

            kept.Add((JsonNode)entry.DeepClone());
        }

        foreach (var (name, value) in new[]
        {
            ("MLSERVER_MODEL_IMPLEMENTATION", implementation),
            ("MLSERVER_MODEL_NAME", "{{.Name}}"),
            ("MLSERVER_MODEL_URI", ModelDir),
            ("MLSERVER_HTTP_PORT", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("MLSERVER_GRPC_PORT", GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("MODELS_DIR", ModelDir),
        })
        {
            if (!kept.OfType<JsonObject>().Any(e => e.Str("name") == name))
            {
                kept.Add((JsonNode)new JsonObject { ["name"] = name, ["value"] = value });
                changes.Add($"runtime: single-model setting {name}={value}");
            }
        }

        container["env"] = kept;
    }

    private static void ConvertTriton(JsonObject container, List<string> changes)
    {
        // ModelMesh starts Triton through a shell that prepares its shared model repository; a single-model
        // server reads the one model the storage initializer placed in /mnt/models.
        if (container["command"] is not null)
        {
            changes.Add($"runtime: removed command {container["command"]!.ToJsonString()} and its arguments (ModelMesh's model-repository wrapper)");
            container.Remove("command");
        }

        container["args"] = new JsonArray("tritonserver", $"--model-store={ModelDir}", $"--grpc-port={GrpcPort}", $"--http-port={HttpPort}", "--allow-grpc=true", "--allow-http=true");
        changes.Add($"runtime: args tritonserver --model-store={ModelDir} --grpc-port={GrpcPort} --http-port={HttpPort} --allow-grpc=true --allow-http=true");
    }
}
