using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Behaviours;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// The pods KServe's workloads run, built as KServe builds them: the predictor container is the runtime's first
/// container with the ISVC's predictor fields (resources, per key of requests and limits) merged over it, the
/// runtime's other containers alongside; nodeSelector merged (the ISVC's keys win), tolerations the ISVC's when it has
/// any, else the runtime's. Sidecars the platform injects (queue-proxy, istio-proxy, modelmesh's mm/puller/rest-proxy)
/// are not modelled.
/// </summary>
internal static class WorkloadPods
{
    public const string IsvcLabel = "serving.kserve.io/inferenceservice";
    public const string ModelMeshLabel = "modelmesh-service";
    public const string ModelMeshNameLabel = "name";
    public const string ModelMeshNamePrefix = "modelmesh-serving-";
    public const string StopAnnotation = "serving.kserve.io/stop";

    private static readonly string[] Frameworks = ["sklearn", "xgboost", "tensorflow", "pytorch", "onnx", "triton", "lightgbm", "pmml", "paddle", "huggingface"];

    /// <summary>
    /// A RawDeployment or Serverless ISVC's predictor pods: minReplicas (default 1); none for a Serverless ISVC
    /// stopped with serving.kserve.io/stop="true", or while KServe has no runtime for it (it creates no Deployment).
    /// </summary>
    public static PodTemplate ForInferenceService(JsonObject isvc, string mode, JsonObject? runtime, bool runtimeOk)
    {
        var name = isvc.Name();
        var predictor = isvc.At("spec", "predictor") as JsonObject ?? [];
        var stopped = mode != DeploymentModes.Raw && string.Equals(isvc.Annotation(StopAnnotation), "true", StringComparison.OrdinalIgnoreCase);
        var replicas = !runtimeOk || stopped ? 0 : Count(predictor["minReplicas"]) ?? 1;
        var containers = predictor["containers"] is JsonArray { Count: > 0 } custom
            ? Containers(custom)
            : Merged(runtime, PredictorImplementation(predictor));
        var spec = PodSpec(containers, Map(runtime?.At("spec", "nodeSelector")), Map(predictor["nodeSelector"]),
            predictor["tolerations"] as JsonArray is { Count: > 0 } own ? own : runtime?.At("spec", "tolerations") as JsonArray);
        // A Serverless ISVC's pods belong to its current Knative revision's Deployment ("<revision>-deployment").
        var prefix = mode == DeploymentModes.Raw ? $"{name}-predictor" : $"{ServerlessStatus.Revision(isvc)}-deployment";
        var labels = new JsonObject { [IsvcLabel] = name, ["component"] = "predictor", ["app"] = $"isvc.{name}-predictor" };
        return new PodTemplate(Math.Max(0, replicas), prefix, labels, Owner("serving.kserve.io/v1beta1", "InferenceService", isvc), spec);
    }

    /// <summary>A ModelMesh runtime's pods (shared by every ISVC it serves): spec.replicas (default 1); none when disabled.</summary>
    public static PodTemplate ForModelMeshRuntime(JsonObject runtime)
    {
        var name = runtime.Name();
        var disabled = runtime.At("spec", "disabled")?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var replicas = disabled ? 0 : Count(runtime.At("spec", "replicas")) ?? 1;
        var containers = Containers(runtime.At("spec", "containers") as JsonArray);
        var spec = PodSpec(containers, Map(runtime.At("spec", "nodeSelector")), [], runtime.At("spec", "tolerations") as JsonArray);
        var labels = new JsonObject { [ModelMeshLabel] = "modelmesh-serving", [ModelMeshNameLabel] = ModelMeshNamePrefix + name };
        return new PodTemplate(Math.Max(0, replicas), ModelMeshNamePrefix + name, labels, Owner("serving.kserve.io/v1alpha1", "ServingRuntime", runtime), spec);
    }

    public static bool IsModelMeshRuntime(JsonObject runtime) => runtime.At("spec", "multiModel")?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static JsonObject? PredictorImplementation(JsonObject predictor) =>
        predictor["model"] as JsonObject ?? Frameworks.Select(f => predictor[f] as JsonObject).FirstOrDefault(f => f is not null);

    private static JsonArray Merged(JsonObject? runtime, JsonObject? implementation)
    {
        var containers = Containers(runtime?.At("spec", "containers") as JsonArray);
        if (containers.Count == 0)
        {
            containers.Add((JsonNode)new JsonObject { ["name"] = "kserve-container" });
        }

        var main = (JsonObject)containers[0]!;
        var resources = main["resources"] as JsonObject ?? [];
        foreach (var part in new[] { "requests", "limits" })
        {
            if (implementation?.At("resources", part) is JsonObject overrides)
            {
                var merged = resources[part] as JsonObject ?? [];
                foreach (var (resource, value) in overrides)
                {
                    merged[resource] = value?.DeepClone();
                }

                resources[part] = merged;
            }
        }

        main["resources"] = resources;
        return containers;
    }

    /// <summary>The containers' names, images and resources (what scheduling needs).</summary>
    private static JsonArray Containers(JsonArray? source) =>
        new((source?.OfType<JsonObject>() ?? []).Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Str("name") ?? "kserve-container",
            ["image"] = c.Str("image") ?? string.Empty,
            ["resources"] = c["resources"]?.DeepClone() ?? new JsonObject(),
        }).ToArray());

    private static JsonObject PodSpec(JsonArray containers, Dictionary<string, string> runtimeSelector, Dictionary<string, string> ownSelector, JsonArray? tolerations)
    {
        var spec = new JsonObject { ["containers"] = containers, ["schedulerName"] = "default-scheduler" };
        var selector = new JsonObject();
        foreach (var (key, value) in runtimeSelector.Concat(ownSelector))
        {
            selector[key] = value;
        }

        if (selector.Count > 0)
        {
            spec["nodeSelector"] = selector;
        }

        if (tolerations is { Count: > 0 })
        {
            spec["tolerations"] = tolerations.DeepClone();
        }

        return spec;
    }

    private static int? Count(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var whole) ? (int)Math.Clamp(whole, 0, 10_000)
        : node is JsonValue other && other.TryGetValue<double>(out var real) ? (int)Math.Clamp(real, 0, 10_000)
        : null;

    private static Dictionary<string, string> Map(JsonNode? node) =>
        (node as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal) ?? [];

    private static JsonObject Owner(string apiVersion, string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
