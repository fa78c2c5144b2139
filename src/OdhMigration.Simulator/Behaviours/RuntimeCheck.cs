using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>Whether an InferenceService's predictor has a usable ServingRuntime, and if not, KServe's reason.</summary>
internal sealed record RuntimeVerdict(bool Ok, string Reason, string Message, string? Runtime)
{
    public static RuntimeVerdict Fine(string? runtime) => new(true, string.Empty, string.Empty, runtime);
}

internal static class RuntimeCheck
{
    /// <summary>Old-style predictor keys (predictor.sklearn etc.) and the model format each implies.</summary>
    private static readonly string[] Frameworks = ["sklearn", "xgboost", "tensorflow", "pytorch", "onnx", "triton", "lightgbm", "pmml", "paddle", "huggingface"];

    /// <summary>The ServingRuntime an ISVC names explicitly, or null when KServe picks one by model format (or none is needed).</summary>
    public static string? NamedRuntime(JsonObject isvc)
    {
        if (isvc.At("spec", "predictor") is not JsonObject predictor)
        {
            return null;
        }

        if (predictor["model"] is JsonObject model)
        {
            return model.Str("runtime") is { Length: > 0 } r ? r : null;
        }

        return Frameworks.FirstOrDefault(predictor.ContainsKey) is { } framework && predictor[framework].Str("runtime") is { Length: > 0 } named ? named : null;
    }

    public static RuntimeVerdict Evaluate(ObjectStore store, JsonObject isvc)
    {
        var predictor = isvc.At("spec", "predictor") as JsonObject;
        if (predictor is null)
        {
            return new RuntimeVerdict(false, "InvalidPredictorSpec", "spec.predictor is required", null);
        }

        string? format = null;
        var runtime = NamedRuntime(isvc);
        if (predictor["model"] is JsonObject model)
        {
            format = model.At("modelFormat", "name")?.ToString();
        }
        else if (Frameworks.FirstOrDefault(predictor.ContainsKey) is { } framework)
        {
            format = framework;
        }
        else if (predictor["containers"] is JsonArray { Count: > 0 })
        {
            return RuntimeVerdict.Fine(null); // custom container predictor: no ServingRuntime involved
        }

        var ns = isvc.Namespace();
        if (runtime is not null)
        {
            var sr = store.TryGet(Kinds.ServingRuntime, ns, runtime);
            if (sr is null)
            {
                // kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go: a named runtime that does not exist
                // is RuntimeNotRecognized, "Waiting for runtime to become available" (the CRD's reason enum has no other).
                return new RuntimeVerdict(false, "RuntimeNotRecognized", "Waiting for runtime to become available", runtime);
            }

            if (sr.At("spec", "disabled")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                return new RuntimeVerdict(false, "RuntimeDisabled", $"specified runtime {runtime} is disabled", runtime);
            }

            if (format is not null && !Supports(sr, format, requireAutoSelect: false))
            {
                return new RuntimeVerdict(false, "NoSupportingRuntime", $"specified runtime {runtime} does not support specified framework/version {format}", runtime);
            }

            return RuntimeVerdict.Fine(runtime);
        }

        if (format is null)
        {
            return new RuntimeVerdict(false, "InvalidPredictorSpec", "predictor has neither a model format nor containers", null);
        }

        var candidates = store.List(Kinds.ServingRuntime, ListRequest.All(ns)).Items
            .Where(sr => sr.At("spec", "disabled")?.GetValueKind() != System.Text.Json.JsonValueKind.True)
            .Where(sr => sr.At("spec", "multiModel")?.GetValueKind() != System.Text.Json.JsonValueKind.True) // ModelMesh runtimes cannot serve Raw
            .Where(sr => Supports(sr, format, requireAutoSelect: true))
            .OrderBy(sr => sr.Name(), StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 0
            ? new RuntimeVerdict(false, "NoSupportingRuntime", $"no runtime found to support predictor with model type: {format}", null)
            : RuntimeVerdict.Fine(candidates[0].Name());
    }

    private static bool Supports(JsonObject runtime, string format, bool requireAutoSelect) =>
        (runtime.At("spec", "supportedModelFormats") as JsonArray)?.OfType<JsonObject>().Any(f =>
            string.Equals(f.Str("name"), format, StringComparison.OrdinalIgnoreCase)
            && (!requireAutoSelect || f["autoSelect"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)) == true;
}
