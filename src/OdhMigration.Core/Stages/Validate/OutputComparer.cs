using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Core.Stages.Validate;

/// <summary>Compares two inference responses (v1 predictions or v2 outputs[].data) within an absolute tolerance.</summary>
public static class OutputComparer
{
    public sealed record Result(bool Equal, double MaxDifference, string Message);

    /// <summary>The part of a response that carries the model's answer: v1 "predictions", v2 "outputs" (names, shapes, data).</summary>
    public static JsonNode? Outputs(JsonNode? response) =>
        response?["predictions"] ?? (response?["outputs"] is JsonArray outputs
            ? new JsonArray(outputs.OfType<JsonObject>().OrderBy(o => o["name"]?.ToString(), StringComparer.Ordinal)
                .Select(o => (JsonNode)new JsonObject { ["name"] = o["name"]?.DeepClone(), ["shape"] = o["shape"]?.DeepClone(), ["data"] = o["data"]?.DeepClone() }).ToArray())
            : response);

    public static Result Compare(JsonNode? expected, JsonNode? actual, double tolerance)
    {
        var max = 0.0;
        var problem = Walk(Outputs(expected), Outputs(actual), tolerance, "$", ref max);
        return problem is null
            ? new Result(true, max, $"outputs match (largest difference {max:G3}, tolerance {tolerance:G3})")
            : new Result(false, max, problem);
    }

    private static string? Walk(JsonNode? a, JsonNode? b, double tolerance, string path, ref double max)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return $"{path}: {x.Count} values in the original, {y.Count} in the new one";
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (Walk(x[i], y[i], tolerance, $"{path}[{i}]", ref max) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    if (Walk(x[key], y[key], tolerance, $"{path}.{key}", ref max) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number:
                var diff = Math.Abs(x.GetValue<double>() - y.GetValue<double>());
                max = Math.Max(max, diff);
                return diff <= tolerance ? null : $"{path}: {x.ToJsonString()} vs {y.ToJsonString()} (difference {diff:G3} > tolerance {tolerance:G3})";
            default:
                return a?.ToJsonString() == b?.ToJsonString() ? null : $"{path}: {a?.ToJsonString() ?? "missing"} vs {b?.ToJsonString() ?? "missing"}";
        }
    }
}
