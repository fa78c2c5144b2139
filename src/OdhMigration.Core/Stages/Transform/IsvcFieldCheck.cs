using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>
/// The typed fields of an exported InferenceService that transform copies or computes with, checked before any
/// rewriting: a value the API server would refuse (<c>minReplicas: abc</c>, a negative count, a scalar spec) is a
/// refusal of that one ISVC naming the field, never carried into the new manifests.
/// </summary>
public static class IsvcFieldCheck
{
    private static readonly string[] Components = ["predictor", "transformer", "explainer"];

    /// <summary>Whole-number fields of a component (KServe's ComponentExtensionSpec); none may be negative.</summary>
    private static readonly string[] WholeNumberFields = ["minReplicas", "maxReplicas", "scaleTarget", "containerConcurrency", "timeout", "canaryTrafficPercent"];

    public static void Check(JsonObject isvc)
    {
        var who = $"InferenceService {isvc.Namespace()}/{isvc.Name()}";
        if (isvc["spec"] is not JsonObject spec)
        {
            throw new TransformRefusedException($"{who}: spec is {Describe(isvc["spec"])}, not a mapping");
        }

        foreach (var component in Components)
        {
            if (spec[component] is not { } node)
            {
                continue;
            }

            if (node is not JsonObject fields)
            {
                throw new TransformRefusedException($"{who}: spec.{component} is {Describe(node)}, not a mapping");
            }

            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var field in WholeNumberFields)
            {
                if (fields[field] is null)
                {
                    continue;
                }

                if (WholeNumber(fields[field]) is not { } value || value < 0)
                {
                    throw new TransformRefusedException($"{who}: spec.{component}.{field} is {Describe(fields[field])}; it must be a whole number, 0 or more");
                }

                values[field] = value;
            }

            if (values.GetValueOrDefault("canaryTrafficPercent") > 100)
            {
                throw new TransformRefusedException($"{who}: spec.{component}.canaryTrafficPercent is {values["canaryTrafficPercent"]}; it must be from 0 to 100");
            }

            if (values.TryGetValue("minReplicas", out var min) && values.TryGetValue("maxReplicas", out var max) && max > 0 && min > max)
            {
                throw new TransformRefusedException($"{who}: spec.{component}.minReplicas {min} is more than maxReplicas {max}");
            }
        }
    }

    private static long? WholeNumber(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        && double.IsFinite(number) && number == Math.Floor(number) && Math.Abs(number) < long.MaxValue
            ? (long)number
            : null;

    private static string Describe(JsonNode? node) => node switch
    {
        null => "missing",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string '{KubernetesNames.Printable(Truncate(v.GetValue<string>()))}'",
        JsonValue v => Truncate(v.ToJsonString()),
        JsonArray => "a list",
        _ => "a mapping",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
