using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Serverless -> RawDeployment for one ISVC. Writes both name variants: raw/ (-raw suffix, side by side with the
/// original) and raw-original-names/ (for in-place replacement after the original is deleted).
/// </summary>
public sealed class ServerlessTransformer : IModeTransformer
{
    public string Mode => DeploymentMode.Serverless;

    public TransformResult Transform(TransformContext context)
    {
        var item = context.Item;
        var strategy = context.Options.Strategy ?? Strategies.SideBySide;
        var isvc = context.Isvc;
        var runtime = context.Runtime ?? throw new TransformRefusedException($"ServingRuntime '{item.Facts.Runtime}' was not exported; the ISVC cannot be served without it");
        var warnings = new List<string>();
        var changes = new List<string>();

        var targetNamespace = strategy == Strategies.NewNamespace ? context.Options.TargetNamespace! : item.Namespace;
        var rawName = item.Name + NameLimits.RawSuffix;
        var maxName = NameLimits.MaxIsvcName(item.Facts.HasTransformer, item.Facts.HasExplainer);
        var appliedName = strategy == Strategies.SideBySide ? rawName : item.Name;
        if (appliedName.Length > maxName)
        {
            throw new TransformRefusedException($"InferenceService name '{appliedName}' ({appliedName.Length} characters) exceeds the {maxName}-character limit (63 minus the longest suffix KServe derives); use a strategy that keeps the original name or shorten it");
        }

        var rawIsvc = RewriteIsvc(isvc, item, context.Options, rawName, runtime.Name() + NameLimits.RawSuffix, targetNamespace: item.Namespace, suffix: true, changes, warnings);
        var sameIsvc = RewriteIsvc(isvc, item, context.Options, item.Name, runtime.Name(), targetNamespace, suffix: false, [], []);
        var rawRuntime = RewriteRuntime(runtime, runtime.Name() + NameLimits.RawSuffix, item.Namespace, suffix: true);
        var sameRuntime = RewriteRuntime(runtime, runtime.Name(), targetNamespace, suffix: false);

        var deletions = new List<PlannedDeletion>
        {
            Deletion(isvc, item.Namespace, "original InferenceService, replaced by the RawDeployment one", context.Find("isvc")?.Path),
            Deletion(runtime, item.Namespace, "original ServingRuntime, replaced by the migrated copy", context.Find("runtime")?.Path),
        };
        if (context.Find("route") is { } route)
        {
            deletions.Add(Deletion(route.Object, route.Object.Namespace(), "Route the Serverless ingress created in istio-system", route.Path));
        }

        return new TransformResult
        {
            Strategy = strategy,
            TargetNamespace = strategy == Strategies.SideBySide ? item.Namespace : targetNamespace,
            TargetName = appliedName,
            Raw = [rawRuntime, rawIsvc],
            RawOriginalNames = [sameRuntime, sameIsvc],
            AppliesOriginalNames = strategy != Strategies.SideBySide,
            DeleteBeforeCreate = strategy == Strategies.InPlace,
            DeleteOnCleanup = deletions,
            Warnings = warnings,
            Changes = changes,
            Endpoint = new EndpointMapping(item.Facts.Url, strategy == Strategies.SideBySide ? item.Namespace : targetNamespace, appliedName, null, rawIsvc.Label(IsvcFactsReader.KServeVisibilityKey) ?? "internal"),
        };
    }

    private static JsonObject RewriteIsvc(JsonObject original, InventoryItem item, TransformOptions options, string name, string runtimeName, string targetNamespace, bool suffix, List<string> changes, List<string> warnings)
    {
        var isvc = original.DeepCopy();
        ServerFields.StripForNewObject(isvc);
        isvc.Metadata()["name"] = name;
        isvc.Metadata()["namespace"] = targetNamespace;
        ServerlessKeys.RemoveServerlessKeys(isvc, changes);
        isvc.SetAnnotation(DeploymentMode.AnnotationKey, DeploymentMode.RawDeployment);

        var (auth, _) = IsvcFactsReader.Auth(original, DeploymentMode.Serverless, null);
        isvc.RemoveLabel(IsvcFactsReader.AuthKey);
        isvc.SetAnnotation(IsvcFactsReader.AuthKey, auth ? "true" : "false");

        var exposed = options.Visibility == "exposed" || item.Facts.Visibility == "public";
        if (exposed)
        {
            isvc.SetLabel(IsvcFactsReader.KServeVisibilityKey, "exposed");
        }
        else
        {
            warnings.Add("cluster-local in Serverless: kept internal (no networking.kserve.io/visibility label); use --visibility exposed to publish it");
        }

        if (suffix && isvc.Annotation("openshift.io/display-name") is { } display)
        {
            isvc.SetAnnotation("openshift.io/display-name", display + NameLimits.RawSuffix);
        }

        if (isvc.At("spec", "predictor", "model") is JsonObject model && model["runtime"] is not null)
        {
            model["runtime"] = runtimeName;
        }

        return isvc;
    }

    private static JsonObject RewriteRuntime(JsonObject original, string name, string targetNamespace, bool suffix)
    {
        var runtime = original.DeepCopy();
        ServerFields.StripForNewObject(runtime);
        runtime.Metadata()["name"] = name;
        runtime.Metadata()["namespace"] = targetNamespace;
        if (suffix)
        {
            var display = runtime.Annotation("openshift.io/display-name") ?? original.Name();
            runtime.SetAnnotation("openshift.io/display-name", display + NameLimits.RawSuffix);
        }

        return runtime;
    }

    private static PlannedDeletion Deletion(JsonObject obj, string? ns, string reason, string? backup) =>
        new(obj.Kind()!, obj.ApiVersion()!, obj.Name(), ns, reason, backup);
}
