using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>The name-independent part of the ISVC rewrite; <see cref="Named"/> then applies one output's names.</summary>
public static class IsvcRewrite
{
    public static JsonObject Rewrite(JsonObject original, bool auth, string authSource, string visibilityOption, List<string> changes, List<string> warnings)
    {
        var isvc = original.DeepCopy();
        ServerFields.StripForNewObject(isvc);
        var wasClusterLocal = IsvcFactsReader.Visibility(original, DeploymentMode.Serverless, null) == "cluster-local";

        KnativeAutoscaling.Translate(isvc, changes, warnings);
        ServerlessKeys.RemoveFromMetadata(isvc, "metadata", changes);
        ServerlessKeys.RemoveNullValues(isvc.Metadata(), "metadata", changes);
        foreach (var name in KnativeAutoscaling.Components)
        {
            if (isvc.At("spec", name) is JsonObject component)
            {
                ServerlessKeys.RemoveFromMaps(component, $"spec.{name}", changes);
                ServerlessKeys.RemoveNullValues(component, $"spec.{name}", changes);
            }
        }

        var previousMode = original.Annotation(DeploymentMode.AnnotationKey);
        isvc.SetAnnotation(DeploymentMode.AnnotationKey, DeploymentMode.RawDeployment);
        changes.Add($"{DeploymentMode.AnnotationKey}: {previousMode ?? "(unset: Serverless from the cluster default)"} -> {DeploymentMode.RawDeployment}");

        // The annotation is what the RawDeployment auth path reads; a label written by some dashboard versions is kept as it was.
        isvc.SetAnnotation(IsvcFactsReader.AuthKey, auth ? "true" : "false");
        changes.Add(authSource switch
        {
            "annotation" => $"{IsvcFactsReader.AuthKey}: kept ({(auth ? "true" : "false")})",
            "label" => $"{IsvcFactsReader.AuthKey}: read from the label form, written as annotation '{(auth ? "true" : "false")}'",
            _ => $"{IsvcFactsReader.AuthKey}: absent, written as 'false'",
        });

        var exposed = visibilityOption == "exposed" || !wasClusterLocal;
        if (exposed)
        {
            isvc.SetLabel(IsvcFactsReader.KServeVisibilityKey, "exposed");
        }
        else
        {
            isvc.RemoveLabel(IsvcFactsReader.KServeVisibilityKey);
        }

        if (wasClusterLocal && exposed)
        {
            warnings.Add($"--visibility exposed: the ISVC was cluster-local ({IsvcFactsReader.KnativeVisibilityKey}: cluster-local) and is now published through a Route");
        }

        changes.Add(wasClusterLocal
            ? exposed ? "visibility: cluster-local -> exposed (--visibility exposed)" : "visibility: cluster-local -> internal (no Route; --visibility exposed publishes it)"
            : $"visibility: public -> exposed ({IsvcFactsReader.KServeVisibilityKey}: exposed)");
        return isvc;
    }

    /// <summary>One output's ISVC: its name, namespace and runtime reference (and "-raw" on the display name for raw/).</summary>
    public static JsonObject Named(JsonObject rewritten, string name, string ns, string runtimeName, bool suffixDisplayName)
    {
        var isvc = rewritten.DeepCopy();
        isvc.Metadata()["name"] = name;
        isvc.Metadata()["namespace"] = ns;
        if (suffixDisplayName && isvc.Annotation(ServerlessAuth.DisplayNameKey) is { } display)
        {
            isvc.SetAnnotation(ServerlessAuth.DisplayNameKey, display + NameLimits.RawSuffix);
        }

        if (isvc.At("spec", "predictor", "model") is JsonObject model)
        {
            model["runtime"] = runtimeName;
        }

        return isvc;
    }
}
