using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// Where modelmesh would place an ISVC's model: <see cref="Runtime"/> the enabled multi-model ServingRuntime whose
/// labels satisfy the predictor's type label, or null with <see cref="Reason"/>/<see cref="Message"/> as
/// predictor_controller.go decodeModelState words the "no running instances ... [_no_runtime]" error.
/// </summary>
internal sealed record ModelMeshPlacement(string? Runtime, string Reason, string Message);

/// <summary>
/// The modelmesh-serving rules for which runtime serves a ModelMesh InferenceService (kserve/modelmesh-serving,
/// pkg/predictor_source/inferenceservice_registry.go BuildBasePredictorFromInferenceService and
/// processInferenceServiceStorage, controllers/modelmesh/model_type_labels.go, controllers/modelmesh/cluster_config.go
/// calculateConstraintData, controllers/predictor_controller.go decodeModelState).
/// </summary>
internal static class ModelMeshPlacements
{
    public const string Mode = "ModelMesh";
    public const string EnabledLabel = "modelmesh-enabled";

    /// <summary>getPredictorFramework: the old-style predictor keys modelmesh reads, in its order.</summary>
    private static readonly string[] Frameworks = ["xgboost", "lightgbm", "sklearn", "tensorflow", "onnx", "pytorch", "triton", "pmml"];

    private const string RuntimeAnnotation = "serving.kserve.io/servingRuntime";

    /// <summary>
    /// BuildBasePredictorFromInferenceService only takes ISVCs annotated serving.kserve.io/deploymentMode: ModelMesh
    /// (exactly: the cluster default mode does not count).
    /// </summary>
    public static bool IsModelMesh(JsonObject isvc) => isvc.Annotation(DeploymentModes.Annotation) == Mode;

    /// <summary>
    /// controllers/util.go modelMeshEnabled: the namespace's modelmesh-enabled label is "true" and it is not
    /// Terminating (the controller runs cluster-scoped in ODH; its own namespace is not modelled).
    /// </summary>
    public static bool NamespaceEnabled(ObjectStore store, string? ns) =>
        ns is not null && store.TryGet(Kinds.Namespace, null, ns) is { } namespaceObject
        && namespaceObject.Label(EnabledLabel) == "true"
        && namespaceObject.At("status").Str("phase") != "Terminating";

    /// <summary>
    /// The predictor's type label (model_type_labels.go GetPredictorTypeLabel): "rt:&lt;runtime&gt;" when one is named
    /// (predictor.model.runtime, or the serving.kserve.io/servingRuntime annotation with an old-style framework key),
    /// else "mt:&lt;format&gt;[:&lt;version&gt;]" plus "|pv:&lt;protocolVersion&gt;" when one is given. Null when
    /// the registry refuses the ISVC (model and framework both, the annotation with model, neither, or storage with
    /// neither storageUri nor storage.path): the controller then only logs an error and writes no status.
    /// </summary>
    public static string? TypeLabel(JsonObject isvc)
    {
        if (isvc.At("spec", "predictor") is not JsonObject predictor)
        {
            return null;
        }

        var framework = Frameworks.FirstOrDefault(f => predictor[f] is JsonObject);
        JsonObject implementation;
        string? runtime;
        string? format;
        string? version = null;
        if (predictor["model"] is JsonObject model)
        {
            if (framework is not null || isvc.Annotation(RuntimeAnnotation) is not null)
            {
                return null;
            }

            implementation = model;
            runtime = model.Str("runtime");
            format = model.At("modelFormat").Str("name");
            version = model.At("modelFormat").Str("version");
        }
        else if (framework is not null)
        {
            implementation = (JsonObject)predictor[framework]!;
            runtime = isvc.Annotation(RuntimeAnnotation);
            format = framework;
        }
        else
        {
            return null;
        }

        if (!StorageOk(implementation))
        {
            return null;
        }

        if (runtime is { Length: > 0 })
        {
            return $"rt:{runtime}";
        }

        var label = version is null ? $"mt:{format}" : $"mt:{format}:{version}";
        return implementation.Str("protocolVersion") is { Length: > 0 } protocol ? $"{label}|pv:{protocol}" : label;
    }

    /// <summary>
    /// Which runtime takes the label: the type constraints hold, for every ServingRuntime of the namespace that is
    /// multiModel and not disabled, its "rt:&lt;name&gt;" label, "mt:&lt;format&gt;" and "mt:&lt;format&gt;:&lt;version&gt;" of
    /// each autoSelect format, and each of those combined with "pv:&lt;protocol&gt;" (grpc-v2 also counting as v2,
    /// the REST proxy being on in ODH). Anything else falls to "_default", which requires the label no runtime has.
    /// </summary>
    public static ModelMeshPlacement Place(ObjectStore store, string? ns, string typeLabel)
    {
        var runtimes = store.List(Kinds.ServingRuntime, ListRequest.All(ns)).Items
            .Where(r => !ObjectMeta.IsDeleting(r) && Scheduling.WorkloadPods.IsModelMeshRuntime(r) && r.At("spec", "disabled")?.GetValueKind() != JsonValueKind.True)
            .OrderBy(r => r.Name(), StringComparer.Ordinal);
        foreach (var runtime in runtimes)
        {
            if (ConstraintKeys(runtime).Contains(typeLabel))
            {
                return new ModelMeshPlacement(runtime.Name(), string.Empty, string.Empty);
            }
        }

        return typeLabel.StartsWith("rt:", StringComparison.Ordinal)
            ? new ModelMeshPlacement(null, "RuntimeNotRecognized", "Specified runtime name not recognized")
            : new ModelMeshPlacement(null, "NoSupportingRuntime", "No ServingRuntime supports specified model type and/or protocol");
    }

    private static HashSet<string> ConstraintKeys(JsonObject runtime)
    {
        var modelTypes = new List<string>();
        foreach (var format in (runtime.At("spec", "supportedModelFormats") as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (format["autoSelect"]?.GetValueKind() == JsonValueKind.True && format.Str("name") is { } name)
            {
                modelTypes.Add($"mt:{name}");
                if (format.Str("version") is { } version)
                {
                    modelTypes.Add($"mt:{name}:{version}");
                }
            }
        }

        var protocols = new List<string>();
        foreach (var protocol in (runtime.At("spec", "protocolVersions") as JsonArray)?.Select(p => p?.ToString()).OfType<string>() ?? [])
        {
            protocols.Add($"pv:{protocol}");
            if (protocol == "grpc-v2")
            {
                protocols.Add("pv:v2");
            }
        }

        var keys = new HashSet<string>(StringComparer.Ordinal) { $"rt:{runtime.Name()}" };
        foreach (var modelType in modelTypes)
        {
            keys.Add(modelType);
            foreach (var protocol in protocols)
            {
                keys.Add($"{modelType}|{protocol}");
            }
        }

        return keys;
    }

    /// <summary>
    /// processInferenceServiceStorage: storage.path without a storageUri, or a storageUri (without storage.path) whose
    /// scheme is one modelmesh reads (pvc, s3, gs, http, https).
    /// </summary>
    private static bool StorageOk(JsonObject implementation)
    {
        var path = implementation.At("storage").Str("path");
        if (implementation.Str("storageUri") is not { } uri)
        {
            return path is not null;
        }

        var scheme = uri.IndexOf("://", StringComparison.Ordinal) is var end and > 0 ? uri[..end] : string.Empty;
        return path is null && scheme is "pvc" or "s3" or "gs" or "http" or "https";
    }
}
