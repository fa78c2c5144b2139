using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Modes;

/// <summary>Which ServingRuntime serves an ISVC: the one it names, else the one KServe would auto-select.</summary>
public static class RuntimeResolver
{
    public sealed record Resolution(string? Runtime, string ResolvedBy, JsonObject? RuntimeObject);

    public static Resolution Resolve(JsonObject isvc, IReadOnlyList<JsonObject> runtimesInNamespace, string mode)
    {
        var named = isvc.At("spec", "predictor", "model").Str("runtime");
        if (!string.IsNullOrEmpty(named))
        {
            return new Resolution(named, "spec", runtimesInNamespace.FirstOrDefault(r => r.Name() == named));
        }

        var (format, version) = ModelFormat(isvc);
        if (format is null)
        {
            return new Resolution(null, "none", null);
        }

        // KServe picks among runtimes that list the format with autoSelect; ModelMesh ISVCs need a multi-model runtime.
        var wantMultiModel = mode == DeploymentMode.ModelMesh;
        var candidates = runtimesInNamespace
            .Where(r => r.At("spec", "disabled")?.GetValueKind() != JsonValueKind.True)
            .Where(r => (r.At("spec", "multiModel")?.GetValueKind() == JsonValueKind.True) == wantMultiModel)
            .Select(r => (Runtime: r, Priority: MatchPriority(r, format, version)))
            .Where(c => c.Priority is not null)
            .OrderByDescending(c => c.Priority)
            .ThenBy(c => c.Runtime.Name(), StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 0
            ? new Resolution(null, "auto-select (no runtime in the namespace supports the format)", null)
            : new Resolution(candidates[0].Runtime.Name(), "auto-select", candidates[0].Runtime);
    }

    /// <summary>The model format, from the new form (model.modelFormat) or the old per-framework form (predictor.sklearn ...).</summary>
    public static (string? Name, string? Version) ModelFormat(JsonObject isvc)
    {
        var model = isvc.At("spec", "predictor", "model");
        if (model is JsonObject)
        {
            return (model.At("modelFormat").Str("name"), model.At("modelFormat").Str("version"));
        }

        if (isvc.At("spec", "predictor") is JsonObject predictor)
        {
            foreach (var framework in OldFrameworks)
            {
                if (predictor[framework] is JsonObject)
                {
                    return (framework, null);
                }
            }
        }

        return (null, null);
    }

    public static bool Supports(JsonObject runtime, string format, string? version) => MatchPriority(runtime, format, version, requireAutoSelect: false) is not null;

    private static readonly string[] OldFrameworks = ["sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml", "lightgbm", "paddle", "huggingface"];

    private static int? MatchPriority(JsonObject runtime, string format, string? version, bool requireAutoSelect = true)
    {
        if (runtime.At("spec", "supportedModelFormats") is not JsonArray formats)
        {
            return null;
        }

        foreach (var entry in formats.OfType<JsonObject>())
        {
            if (!string.Equals(entry.Str("name"), format, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (version is not null && entry.Str("version") is { } v && v != version)
            {
                continue;
            }

            if (requireAutoSelect && entry["autoSelect"]?.GetValueKind() != JsonValueKind.True)
            {
                continue;
            }

            return entry["priority"]?.GetValueKind() == JsonValueKind.Number ? entry["priority"]!.GetValue<int>() : 0;
        }

        return null;
    }
}
