using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Translates Knative autoscaling into what a RawDeployment ISVC can express (KServe's HPA: CPU or memory
/// utilisation, min/max replicas) and reports everything it cannot. Runs on the copy before the Knative keys are
/// removed. Precedence follows KServe's Serverless reconciler: spec fields (scaleMetric, scaleTarget,
/// min/maxReplicas) win over annotations, and a component's own annotations win over the ISVC's.
/// See docs/transform-serverless.md for the table.
/// </summary>
public static class KnativeAutoscaling
{
    public const string KnativePrefix = "autoscaling.knative.dev/";
    public const string AutoscalerClassKey = "serving.kserve.io/autoscalerClass";
    public const string MetricsKey = "serving.kserve.io/metrics";
    public const string TargetUtilizationKey = "serving.kserve.io/targetUtilizationPercentage";

    public static readonly string[] Components = ["predictor", "transformer", "explainer"];

    private static readonly string[] RawAutoscalerClasses = ["hpa", "keda", "external", "none"];

    /// <summary>Knative keys handled explicitly; every other autoscaling.knative.dev key is reported as dropped.</summary>
    private static readonly string[] Handled = ["class", "metric", "target", "min-scale", "minScale", "max-scale", "maxScale"];

    public static void Translate(JsonObject isvc, List<string> changes, List<string> warnings)
    {
        CheckExistingAutoscalerClass(isvc, warnings);
        var isvcAnnotations = isvc.At("metadata", "annotations") as JsonObject;
        ReportDropped(isvcAnnotations, "metadata.annotations", warnings);
        foreach (var name in Components)
        {
            if (isvc.At("spec", name) is JsonObject component)
            {
                ReportDropped(component["annotations"] as JsonObject, $"spec.{name}.annotations", warnings);
                TranslateComponent(isvc, name, component, isvcAnnotations, changes, warnings);
            }
        }
    }

    private static void TranslateComponent(JsonObject isvc, string name, JsonObject component, JsonObject? isvcAnnotations, List<string> changes, List<string> warnings)
    {
        var componentAnnotations = component["annotations"] as JsonObject;
        string? Knative(string key, out JsonObject? scope, out string where)
        {
            if (componentAnnotations.Scalar(KnativePrefix + key) is { } own)
            {
                scope = componentAnnotations;
                where = $"spec.{name}.annotations";
                return own;
            }

            scope = isvcAnnotations;
            where = "metadata.annotations";
            return isvcAnnotations.Scalar(KnativePrefix + key);
        }

        Replicas(component, name, "minReplicas", Knative("min-scale", out _, out var minWhere) ?? Knative("minScale", out _, out minWhere), minWhere, changes, warnings);
        Replicas(component, name, "maxReplicas", Knative("max-scale", out _, out var maxWhere) ?? Knative("maxScale", out _, out maxWhere), maxWhere, changes, warnings);
        CheckReplicaBounds(component, name, warnings);
        var annotationMetric = Knative("metric", out var metricScope, out var metricWhere);
        var annotationTarget = Knative("target", out var targetScope, out var targetWhere);
        if (annotationMetric is null && annotationTarget is not null)
        {
            (metricScope, metricWhere) = (targetScope, targetWhere);
        }

        Metric(isvc, component, name, annotationMetric, metricScope, metricWhere, annotationTarget, changes, warnings);
        DropServerlessOnlyFields(component, name, changes, warnings);
    }

    private static void Replicas(JsonObject component, string name, string field, string? knativeValue, string where, List<string> changes, List<string> warnings)
    {
        if (knativeValue is null)
        {
            return;
        }

        var knativeKey = field == "minReplicas" ? "min-scale" : "max-scale";
        if (component[field] is not null)
        {
            changes.Add($"spec.{name}.{field} is set, so {where} {KnativePrefix}{knativeKey}={knativeValue} (which it overrode in Serverless) is dropped");
            return;
        }

        if (!int.TryParse(knativeValue, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            warnings.Add($"{where} {KnativePrefix}{knativeKey}='{knativeValue}' is not a whole number; dropped, spec.{name}.{field} stays unset");
            return;
        }

        component[field] = value;
        changes.Add($"{where} {KnativePrefix}{knativeKey}={knativeValue} -> spec.{name}.{field}: {value}");
    }

    private static void CheckReplicaBounds(JsonObject component, string name, List<string> warnings)
    {
        if (IntOf(component["minReplicas"]) == 0)
        {
            component["minReplicas"] = 1;
            warnings.Add($"spec.{name}.minReplicas was 0 (scale to zero): RawDeployment cannot scale to zero, set to 1 (one pod always runs)");
        }

        var max = IntOf(component["maxReplicas"]);
        if (max is null or 0)
        {
            var min = IntOf(component["minReplicas"]) ?? 1;
            warnings.Add($"spec.{name}.maxReplicas is {(max is null ? "unset" : "0")}: Knative scaled without an upper bound, RawDeployment runs exactly minReplicas ({min}) pod(s); set maxReplicas to allow scaling");
        }
    }

    private static void Metric(JsonObject isvc, JsonObject component, string name, string? annotationMetric, JsonObject? annotationScope, string annotationWhere, string? annotationTarget, List<string> changes, List<string> warnings)
    {
        var specMetric = component.Str("scaleMetric");
        var specTarget = component["scaleTarget"];
        if (specMetric is null && specTarget is null && annotationMetric is null && annotationTarget is null)
        {
            changes.Add($"spec.{name}: Knative's default request-concurrency autoscaling is replaced by KServe's HPA on CPU (80% utilisation) between minReplicas and maxReplicas");
            return;
        }

        // Spec fields are what KServe wrote into the Knative annotations, so they decide when present.
        var metric = (specMetric ?? annotationMetric ?? "concurrency").ToLowerInvariant();
        var targetText = specTarget is not null ? specTarget.ToJsonString() : annotationTarget;
        var fromSpec = specMetric is not null || (specTarget is not null && annotationMetric is null);
        switch (metric)
        {
            case "cpu":
                var percent = ParsePercent(targetText);
                if (targetText is not null && percent is null)
                {
                    warnings.Add($"spec.{name}: CPU autoscaling target '{targetText}' is not a whole percentage 1-100 (KServe's webhook refuses it in RawDeployment); dropped, KServe's default 80% applies");
                    component.Remove("scaleTarget");
                }

                if (specMetric is null && specTarget is not null && percent is not null)
                {
                    component["scaleMetric"] = "cpu";
                    changes.Add($"spec.{name}.scaleTarget {percent} with {annotationWhere} {KnativePrefix}metric=cpu -> spec.{name}.scaleMetric: cpu");
                }

                if (specTarget is null && (!fromSpec || percent is not null))
                {
                    WriteAnnotationFamily(isvc, component, annotationScope, "cpu", percent, name, annotationWhere, annotationTarget, changes);
                }

                break;
            case "memory":
                component["scaleMetric"] = "memory";
                if (targetText is not null)
                {
                    component.Remove("scaleTarget");
                    warnings.Add($"spec.{name}: Knative memory target {targetText} is an average in MiB, RawDeployment's HPA takes a utilisation percentage; target dropped, KServe's default 80% of the memory request applies");
                }

                if (!fromSpec)
                {
                    WriteAnnotationFamily(isvc, component, annotationScope, "memory", null, name, annotationWhere, null, changes);
                }

                break;
            default:
                component.Remove("scaleMetric");
                component.Remove("scaleTarget");
                warnings.Add($"spec.{name}: Knative scaled on {metric}{(targetText is null ? "" : $" (target {targetText})")}; RawDeployment's HPA cannot scale on {metric}, so the new ISVC scales on CPU at KServe's default 80% between minReplicas and maxReplicas");
                break;
        }
    }

    /// <summary>Writes serving.kserve.io/autoscalerClass, metrics and targetUtilizationPercentage where the Knative keys were.</summary>
    private static void WriteAnnotationFamily(JsonObject isvc, JsonObject component, JsonObject? scope, string metric, int? percent, string name, string where, string? knativeTarget, List<string> changes)
    {
        var target = scope is not null && ReferenceEquals(scope, component["annotations"]) ? component.Obj("annotations") : isvc.Metadata().Obj("annotations");
        target[AutoscalerClassKey] = "hpa";
        target[MetricsKey] = metric;
        var translated = $"{where} {KnativePrefix}metric={metric}";
        if (percent is { } p)
        {
            target[TargetUtilizationKey] = p.ToString(CultureInfo.InvariantCulture);
            translated += $", {KnativePrefix}target={knativeTarget}";
        }

        if (metric != "cpu")
        {
            // KServe's HPA reconciler reads the resource from scaleMetric; the annotation alone is only validated.
            changes.Add($"spec.{name}.scaleMetric: {metric} (from {where})");
        }

        changes.Add($"{translated} -> {where} {AutoscalerClassKey}=hpa, {MetricsKey}={metric}{(percent is { } q ? $", {TargetUtilizationKey}={q}" : "")}");
    }

    private static void DropServerlessOnlyFields(JsonObject component, string name, List<string> changes, List<string> warnings)
    {
        if (component["containerConcurrency"] is { } concurrency)
        {
            component.Remove("containerConcurrency");
            warnings.Add($"spec.{name}.containerConcurrency {concurrency.ToJsonString()} dropped: RawDeployment has no per-pod request limit");
        }

        if (component["canaryTrafficPercent"] is { } canary)
        {
            component.Remove("canaryTrafficPercent");
            if (IntOf(canary) == 100)
            {
                changes.Add($"spec.{name}.canaryTrafficPercent 100 dropped (no canary in RawDeployment; 100 meant all traffic to the latest revision)");
            }
            else
            {
                warnings.Add($"spec.{name}.canaryTrafficPercent {canary.ToJsonString()} dropped: RawDeployment has no traffic split, all traffic goes to the new ISVC's single Deployment");
            }
        }
    }

    private static void CheckExistingAutoscalerClass(JsonObject isvc, List<string> warnings)
    {
        if (isvc.Annotation(AutoscalerClassKey) is { } existing && !RawAutoscalerClasses.Contains(existing))
        {
            isvc.RemoveAnnotation(AutoscalerClassKey);
            warnings.Add($"metadata.annotations {AutoscalerClassKey}='{existing}' is not valid in RawDeployment (hpa, keda, external, none); removed, KServe's default (hpa) applies");
        }
    }

    private static void ReportDropped(JsonObject? annotations, string where, List<string> warnings)
    {
        if (annotations is null)
        {
            return;
        }

        var dropped = annotations
            .Where(p => p.Key.StartsWith(KnativePrefix, StringComparison.Ordinal) && !Handled.Contains(p.Key[KnativePrefix.Length..]))
            .Select(p => $"{p.Key}={annotations.Scalar(p.Key)}")
            .ToList();
        if (dropped.Count > 0)
        {
            warnings.Add($"{where}: Knative autoscaling settings with no RawDeployment equivalent dropped: {string.Join(", ", dropped)}");
        }
    }

    private static int? ParsePercent(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= 100
            ? (int)Math.Ceiling(value)
            : null;

    /// <summary>A whole number from a JSON number (however it was created) or a numeric string.</summary>
    private static int? IntOf(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result) ? result : null;
    }
}
