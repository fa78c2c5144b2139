using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Serverless -> RawDeployment for one ISVC. Always writes both name variants: raw/ (-raw suffix, side by side
/// with the original) and raw-original-names/ (for in-place replacement, or a new namespace). The strategy decides
/// which one the plan applies and what cleanup may delete. Rules: docs/transform-serverless.md.
/// </summary>
public sealed class ServerlessTransformer : IModeTransformer
{
    public string Mode => DeploymentMode.Serverless;

    public TransformResult Transform(TransformContext context)
    {
        var item = context.Item;
        var strategy = context.Options.Strategy ?? Strategies.SideBySide;
        var original = context.Isvc;
        var runtime = context.Runtime ?? throw new TransformRefusedException($"ServingRuntime '{item.Facts.Runtime ?? "(none)"}' was not exported; the ISVC cannot be served without it");
        var warnings = new List<string>();
        var changes = new List<string>();
        RefuseUnsupportedExplainer(original);
        var names = ServerlessNames.For(item.Namespace, original, runtime, strategy, context.Options.TargetNamespace);
        names.ThrowIfChosenNameInvalid();

        var (auth, authSource) = IsvcFactsReader.Auth(original, DeploymentMode.Serverless, null);
        var authOriginals = ServerlessAuth.From(context);
        var rewritten = IsvcRewrite.Rewrite(original, auth, authSource, context.Options.Visibility, changes, warnings);
        var exposed = rewritten.Label(IsvcFactsReader.KServeVisibilityKey) == "exposed";
        var autoSelected = original.At("spec", "predictor", "model") is JsonObject model && string.IsNullOrEmpty(model.Str("runtime"));
        if (autoSelected)
        {
            changes.Add($"spec.predictor.model.runtime was unset (auto-selected {runtime.Name()}); the new ISVC names its runtime explicitly so the -raw copy cannot make the choice ambiguous");
        }
        else if (original.At("spec", "predictor", "model") is null)
        {
            warnings.Add($"the predictor uses the pre-model form (spec.predictor.<framework>), which cannot name a runtime: KServe auto-selects among {runtime.Name()} and its copies");
        }

        // raw/: -raw names in the source namespace (side by side). raw-original-names/: original names in the target namespace.
        var raw = new List<JsonObject>();
        if (names.RawValid)
        {
            raw.Add(IsvcRewrite.Named(rewritten, names.RawIsvc, item.Namespace, names.RawRuntime, suffixDisplayName: true));
            raw.Add(RuntimeCopy(runtime, names.RawRuntime, item.Namespace, suffix: true));
            if (auth)
            {
                raw.AddRange(ServerlessAuth.Build(authOriginals, ServerlessAuth.DerivedNames(authOriginals, names.RawIsvc), item.Name, names.RawIsvc, item.Namespace, changes, warnings, report: strategy == Strategies.SideBySide));
            }
        }
        else
        {
            warnings.Add($"raw/ not written: {names.RawInvalidReason}");
        }

        var sameNames = new List<JsonObject>
        {
            IsvcRewrite.Named(rewritten, item.Name, names.TargetNamespace, runtime.Name(), suffixDisplayName: false),
            RuntimeCopy(runtime, runtime.Name(), names.TargetNamespace, suffix: false),
        };
        if (auth)
        {
            sameNames.AddRange(ServerlessAuth.Build(authOriginals, ServerlessAuth.OriginalNames(authOriginals, item.Name), item.Name, item.Name, names.TargetNamespace, changes, warnings, report: strategy != Strategies.SideBySide));
        }

        if (strategy == Strategies.NewNamespace)
        {
            sameNames.Add(TargetNamespaceObject(names.TargetNamespace));
        }

        WarnAboutRuntimeKeys(runtime, warnings);
        if (strategy == Strategies.InPlace)
        {
            warnings.Add("in-place: the endpoint is down from the deletion of the original until the recreated ISVC is Ready" + (auth ? ", and clients need the new token (same Secret name, new value)" : ""));
        }

        var applied = strategy == Strategies.SideBySide ? raw : sameNames;
        var appliedIsvc = applied.First(o => o.Kind() == "InferenceService");
        if (exposed && $"{appliedIsvc.Name()}-{appliedIsvc.Namespace()}".Length > NameLimits.MaxLabel)
        {
            warnings.Add($"the Route host label '{appliedIsvc.Name()}-{appliedIsvc.Namespace()}' is longer than {NameLimits.MaxLabel} characters; OpenShift may not admit the default host for the exposed ISVC");
        }

        var cleanup = new CleanupPlanner(context, auth);
        var keep = new List<PlannedKeep>();
        var saInUse = ServiceAccountInUse(original, authOriginals, strategy, auth, names, applied, keep, warnings);
        var tokenSecret = applied.FirstOrDefault(Workspace.ManifestFileNames.IsTokenSecret);
        if (applied.Count(Workspace.ManifestFileNames.IsTokenSecret) > 1)
        {
            changes.Add($"{applied.Count(Workspace.ManifestFileNames.IsTokenSecret)} token Secrets are recreated (one per old token); the endpoint map names the first, {tokenSecret!.Name()}");
        }

        if (!auth && authOriginals.ServiceAccount is { } unusedSa)
        {
            keep.Add(new PlannedKeep("ServiceAccount", unusedSa.Name(), item.Namespace, "auth is disabled on the ISVC; the ServiceAccount found for it is neither migrated nor deleted"));
        }

        return new TransformResult
        {
            Raw = raw,
            RawOriginalNames = sameNames,
            AppliesOriginalNames = strategy != Strategies.SideBySide,
            Plan = new PlanItem
            {
                Strategy = strategy,
                TargetNamespace = appliedIsvc.Namespace()!,
                TargetName = appliedIsvc.Name(),
                DeleteBeforeCreate = strategy == Strategies.InPlace,
                DeleteBeforeApply = strategy == Strategies.InPlace ? cleanup.BeforeApply() : [],
                DeleteOnCleanup = strategy == Strategies.InPlace ? [] : cleanup.OnCleanup(saInUse),
                Keep = keep,
                SecretCopies = strategy == Strategies.NewNamespace ? context.All(ExportRoles.StorageSecret).Select(s => new ObjectRef("Secret", "v1", s.Object.Name(), item.Namespace)).ToList() : [],
                Warnings = warnings,
                Changes = changes,
                Endpoint = new EndpointMapping(item.Facts.Url, appliedIsvc.Namespace()!, appliedIsvc.Name(), tokenSecret?.Name(), exposed ? "exposed" : "internal"),
            },
        };
    }

    /// <summary>
    /// A predictor (or transformer/explainer) that runs as the old auth ServiceAccount keeps using it side by side,
    /// so cleanup must not delete it. Returns true when that ServiceAccount must be kept.
    /// </summary>
    private static bool ServiceAccountInUse(JsonObject original, ServerlessAuth.Originals auth, string strategy, bool authEnabled, ServerlessNames names, List<JsonObject> applied, List<PlannedKeep> keep, List<string> warnings)
    {
        var inUse = false;
        foreach (var component in KnativeAutoscaling.Components)
        {
            if (original.At("spec", component).Str("serviceAccountName") is not { } saName)
            {
                continue;
            }

            var createdInTarget = applied.Any(o => o.Kind() == "ServiceAccount" && o.Name() == saName);
            if (strategy == Strategies.SideBySide && authEnabled && auth.ServiceAccount?.Name() == saName)
            {
                inUse = true;
                keep.Add(new PlannedKeep("ServiceAccount", saName, original.Namespace(), $"spec.{component}.serviceAccountName of the new ISVC runs its pods as this ServiceAccount"));
                warnings.Add($"spec.{component}.serviceAccountName is the old auth ServiceAccount {saName}: the new pods keep running as it, so cleanup keeps it (tokens for the new ISVC come from {names.RawIsvc}-sa)");
            }
            else if (strategy == Strategies.NewNamespace && !createdInTarget)
            {
                warnings.Add($"spec.{component}.serviceAccountName '{saName}' is not created by this plan; it must exist in namespace {names.TargetNamespace} before apply");
            }
        }

        return inUse;
    }

    /// <summary>KServe dropped the alibi and aix explainers from the CRD; the API server would silently prune them.</summary>
    private static void RefuseUnsupportedExplainer(JsonObject isvc)
    {
        foreach (var removed in new[] { "alibi", "aix" })
        {
            if (isvc.At("spec", "explainer", removed) is not null)
            {
                throw new TransformRefusedException($"InferenceService {isvc.Namespace()}/{isvc.Name()}: spec.explainer.{removed} is no longer part of the InferenceService schema (only art and custom containers are); the API server would silently drop the explainer, so it is not migrated");
            }
        }
    }

    private static JsonObject RuntimeCopy(JsonObject original, string name, string ns, bool suffix)
    {
        var runtime = original.DeepCopy();
        ServerFields.StripForNewObject(runtime);
        runtime.Metadata()["name"] = name;
        runtime.Metadata()["namespace"] = ns;
        if (suffix)
        {
            // The upstream script writes "-raw" alone when the runtime has no display name; use its name instead.
            var display = original.Annotation(ServerlessAuth.DisplayNameKey) ?? original.Name();
            runtime.SetAnnotation(ServerlessAuth.DisplayNameKey, display + NameLimits.RawSuffix);
        }

        return runtime;
    }

    /// <summary>The runtime is copied unchanged (it may be shared with ISVCs that stay Serverless); say what its pods will carry.</summary>
    private static void WarnAboutRuntimeKeys(JsonObject runtime, List<string> warnings)
    {
        var keys = (runtime.At("spec", "annotations") as JsonObject)?.Select(p => p.Key).Where(ServerlessKeys.IsServerlessKey).ToList() ?? [];
        if (keys.Count > 0)
        {
            warnings.Add($"ServingRuntime {runtime.Name()} sets {string.Join(", ", keys)} in spec.annotations; the copy keeps them and RawDeployment pods will carry them");
        }
    }

    private static JsonObject TargetNamespaceObject(string ns)
    {
        var obj = Manifest.NewObject(Kinds.Namespace, ns, null);
        obj.SetLabel(ServerlessAuth.DashboardLabel, "true");
        obj.SetLabel("modelmesh-enabled", "false");
        return obj;
    }
}
