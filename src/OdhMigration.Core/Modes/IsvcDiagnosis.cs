using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Modes;

public static class ValidationReasons
{
    public const string Passed = "Passed";
    public const string NotApplied = "NotApplied";
    public const string NotFound = "NotFound";
    public const string NotReady = "NotReady";
    public const string NoUrl = "NoURL";
    public const string WrongDeploymentMode = "WrongDeploymentMode";
    public const string RuntimeMissing = "RuntimeMissing";
    public const string UnsupportedModelFormat = "UnsupportedModelFormat";
    public const string InsufficientResources = "InsufficientResources";
    public const string InferenceFailed = "InferenceFailed";
    public const string OutputMismatch = "OutputMismatch";
}

/// <summary>What validate concludes about one ISVC: the verdict, its reason and the guide's remedies.</summary>
public sealed record Diagnosis(bool Passed, string Reason, string Message, List<ValidationCondition> Conditions, List<string> Remedies);

/// <summary>
/// Reads a live ISVC (and, when it is not ready, its runtime and pods) into a verdict with a reason a person can act on.
/// Pure: the engine fetches, this decides.
/// </summary>
public static class IsvcDiagnosis
{
    /// <summary>Ready=True, a URL and RawDeployment (3.x: Standard) mode.</summary>
    public static bool IsServing(JsonObject isvc) =>
        IsvcFactsReader.ReadyCondition(isvc) == true
        && !string.IsNullOrEmpty(isvc.At("status").Str("url"))
        && DeploymentMode.Normalise(isvc.At("status").Str("deploymentMode")) == DeploymentMode.RawDeployment;

    public static Diagnosis Diagnose(JsonObject isvc, JsonObject? runtime, bool runtimeLookedUp, IReadOnlyList<JsonObject> pods, string sourceMode)
    {
        var conditions = StatusConditions(isvc);
        var ready = IsvcFactsReader.ReadyCondition(isvc) == true;
        var url = isvc.At("status").Str("url");
        var mode = isvc.At("status").Str("deploymentMode");
        var normalised = DeploymentMode.Normalise(mode);
        conditions.Add(new ValidationCondition("HasURL", string.IsNullOrEmpty(url) ? "False" : "True", string.IsNullOrEmpty(url) ? ValidationReasons.NoUrl : "URLSet", url ?? "status.url is empty"));
        conditions.Add(new ValidationCondition("RawDeploymentMode", normalised == DeploymentMode.RawDeployment ? "True" : normalised is null ? "Unknown" : "False",
            normalised == DeploymentMode.RawDeployment ? "RawDeployment" : ValidationReasons.WrongDeploymentMode, $"status.deploymentMode is {mode ?? "(not set yet)"}"));

        if (ready && !string.IsNullOrEmpty(url) && normalised == DeploymentMode.RawDeployment)
        {
            return new Diagnosis(true, ValidationReasons.Passed, $"Ready at {url} in {mode} mode", conditions, []);
        }

        if (normalised is not null && normalised != DeploymentMode.RawDeployment)
        {
            return Fail(ValidationReasons.WrongDeploymentMode, $"status.deploymentMode is {mode}, not RawDeployment/Standard", conditions,
                "the ISVC was admitted in another mode: check that its serving.kserve.io/deploymentMode annotation is RawDeployment, delete it and run apply again");
        }

        var runtimeName = isvc.At("spec", "predictor", "model").Str("runtime");
        var (format, version) = RuntimeResolver.ModelFormat(isvc);
        if (runtimeLookedUp && runtimeName is not null && runtime is null)
        {
            return Fail(ValidationReasons.RuntimeMissing, $"ServingRuntime {isvc.Namespace()}/{runtimeName} named in spec.predictor.model.runtime does not exist", conditions,
                $"apply the migrated ServingRuntime {runtimeName} into {isvc.Namespace()} (it is in the item's apply folder; run apply again), or point spec.predictor.model.runtime at an existing runtime");
        }

        if (runtime is not null && format is not null && !RuntimeResolver.Supports(runtime, format, version))
        {
            return Fail(ValidationReasons.UnsupportedModelFormat, $"ServingRuntime {runtime.Name()} does not list model format {format}{(version is null ? "" : " version " + version)} in spec.supportedModelFormats", conditions,
                $"use a runtime that supports {format}, or add it to the runtime's supportedModelFormats; for OpenVINO opset1 models see transform --opset1");
        }

        var statusText = string.Join(" ", conditions.Select(c => c.Reason + " " + c.Message));
        if (statusText.Contains("NoSupportingRuntime", StringComparison.OrdinalIgnoreCase) || statusText.Contains("RuntimeNotRecognized", StringComparison.OrdinalIgnoreCase)
            || statusText.Contains("no runtime found", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ValidationReasons.UnsupportedModelFormat, $"no runtime supports model format {format ?? "(unknown)"}: {statusText.Trim()}", conditions,
                "name a runtime in spec.predictor.model.runtime whose supportedModelFormats include the model's format");
        }

        if (UnschedulablePod(pods) is { } pending)
        {
            var remedies = new List<string>
            {
                "guide §5.1.1: there is not enough capacity; migrate fewer InferenceServices at a time (apply a smaller selection) or add capacity",
            };
            remedies.Add(sourceMode == DeploymentMode.ModelMesh
                ? "guide §5.1.3: a ModelMesh original cannot be stopped to free resources; scale other workloads down or add nodes"
                : "guide §5.1.2: stop the Serverless original to free its resources (odh-apply --stop-original, or annotate it serving.kserve.io/stop=\"true\"); the new one comes up shortly");
            return new Diagnosis(false, ValidationReasons.InsufficientResources, $"pod {pending.Name} is Pending: {pending.Message}", conditions, remedies);
        }

        if (string.IsNullOrEmpty(url) && ready)
        {
            return Fail(ValidationReasons.NoUrl, "Ready but status.url is empty", conditions, "check the predictor Service and, for exposed ISVCs, the Route the controller creates");
        }

        var readyCondition = conditions.FirstOrDefault(c => c.Type == "Ready");
        return Fail(ValidationReasons.NotReady, readyCondition is null ? "no Ready condition yet" : $"Ready={readyCondition.Status} ({readyCondition.Reason}): {readyCondition.Message}".TrimEnd(' ', ':'), conditions,
            $"inspect it: oc describe inferenceservice {isvc.Name()} -n {isvc.Namespace()}; oc get pods -n {isvc.Namespace()} -l serving.kserve.io/inferenceservice={isvc.Name()}");
    }

    private static Diagnosis Fail(string reason, string message, List<ValidationCondition> conditions, string remedy) => new(false, reason, message, conditions, [remedy]);

    private static List<ValidationCondition> StatusConditions(JsonObject isvc) =>
        isvc.At("status", "conditions") is JsonArray array
            ? array.OfType<JsonObject>().Select(c => new ValidationCondition(c.Str("type") ?? "", c.Str("status") ?? "Unknown", c.Str("reason") ?? "", c.Str("message") ?? "")).ToList()
            : [];

    private static (string Name, string Message)? UnschedulablePod(IReadOnlyList<JsonObject> pods)
    {
        foreach (var pod in pods.Where(p => p.At("status").Str("phase") == "Pending"))
        {
            if (pod.At("status", "conditions") is JsonArray conditions
                && conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled" && c.Str("status") == "False") is { } scheduled)
            {
                return (pod.Name(), $"{scheduled.Str("reason") ?? "Unschedulable"}: {scheduled.Str("message") ?? ""}".TrimEnd(' ', ':'));
            }
        }

        return null;
    }
}
