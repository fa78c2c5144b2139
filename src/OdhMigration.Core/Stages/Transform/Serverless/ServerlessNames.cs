using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// The names one Serverless ISVC gets, checked against Kubernetes' limits. KServe derives
/// <c>&lt;isvc&gt;-predictor</c> (and -transformer/-explainer) Services from the ISVC name, so the ISVC name must
/// leave room for the longest suffix it needs; truncating instead could collide with another ISVC, so an ISVC that
/// does not fit is refused.
/// </summary>
public sealed record ServerlessNames(
    string Namespace,
    string IsvcName,
    string Strategy,
    string TargetNamespace,
    string RawIsvc,
    string RawRuntime,
    int MaxIsvcName,
    string DerivedSuffix,
    string? RawInvalidReason)
{
    public bool RawValid => RawInvalidReason is null;

    public static ServerlessNames For(string ns, JsonObject isvc, JsonObject runtime, string strategy, string? targetNamespace)
    {
        var hasTransformer = isvc.At("spec", "transformer") is JsonObject;
        var hasExplainer = isvc.At("spec", "explainer") is JsonObject;
        var max = NameLimits.MaxIsvcName(hasTransformer, hasExplainer);
        var suffix = hasTransformer ? "-transformer" : hasExplainer ? "-explainer" : "-predictor";
        var rawIsvc = isvc.Name() + NameLimits.RawSuffix;
        var rawRuntime = runtime.Name() + NameLimits.RawSuffix;
        string? invalid = null;
        if (rawIsvc.Length > max)
        {
            invalid = $"the side-by-side name '{rawIsvc}' has {rawIsvc.Length} characters, over the {max}-character limit ({NameLimits.MaxLabel} minus '{suffix}', which KServe appends to name the objects it derives)";
        }
        else if (NameLimits.SubdomainProblem(rawRuntime, NameLimits.MaxLabel) is { } problem)
        {
            invalid = $"the side-by-side runtime name '{rawRuntime}' {problem}";
        }

        var target = strategy == Strategies.NewNamespace ? targetNamespace! : ns;
        return new ServerlessNames(ns, isvc.Name(), strategy, target, rawIsvc, rawRuntime, max, suffix, invalid);
    }

    /// <summary>Refuses the ISVC when the strategy's name cannot be valid (the engine records the reason; others go on).</summary>
    public void ThrowIfChosenNameInvalid()
    {
        if (IsvcName.Length > MaxIsvcName)
        {
            throw new TransformRefusedException(
                $"InferenceService {Namespace}/{IsvcName}: its name has {IsvcName.Length} characters, over the {MaxIsvcName}-character limit " +
                $"({NameLimits.MaxLabel} minus '{DerivedSuffix}', which KServe appends to name the objects it derives); no strategy can migrate it under this name, recreate it with a shorter one");
        }

        if (NameLimits.LabelProblem(IsvcName) is { } problem)
        {
            throw new TransformRefusedException($"InferenceService {Namespace}/{IsvcName}: its name {problem}; no strategy can migrate it under this name");
        }

        if (Strategy == Strategies.SideBySide && !RawValid)
        {
            throw new TransformRefusedException($"InferenceService {Namespace}/{IsvcName}: {RawInvalidReason}; use --strategy in-place or new-namespace, which keep the original name");
        }
    }
}
