using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Cleanup;

/// <summary>
/// Why a deleted object is stuck in Terminating, in words a platform engineer can act on. The known trap: Serverless
/// (knative-serving) or Service Mesh removed before the Serverless/ModelMesh ISVCs were deleted; their finalizers
/// then cannot reach the Knative and Istio APIs and never complete.
/// </summary>
public static class FinalizerExplainer
{
    public static string Explain(JsonObject stuck, JsonObject? dsc, JsonObject? dsci)
    {
        var finalizers = stuck.At("metadata", "finalizers") is JsonArray f ? f.Select(x => x?.ToString()).OfType<string>().ToList() : [];
        var what = $"{stuck.Kind()} {stuck.Namespace()}/{stuck.Name()} is stuck terminating (finalizers: {(finalizers.Count == 0 ? "none" : string.Join(", ", finalizers))})";
        var serving = dsc.At("spec", "components", "kserve", "serving").Str("managementState");
        var mesh = dsci.At("spec", "serviceMesh").Str("managementState");
        var removed = new List<string>();
        if (serving == "Removed")
        {
            removed.Add("Serverless (DataScienceCluster spec.components.kserve.serving.managementState: Removed)");
        }

        if (mesh == "Removed")
        {
            removed.Add("Service Mesh (DSCInitialization spec.serviceMesh.managementState: Removed)");
        }

        if (removed.Count > 0)
        {
            return $"{what}. {string.Join(" and ", removed)} was removed before the ISVCs were deleted: the finalizer cannot reach the Knative/Istio APIs and never completes (the ordering trap). "
                + "Remedy: set it back to Managed, wait until the ISVC is gone, then run cleanup again and remove Serverless/Service Mesh only afterwards. "
                + $"Last resort, if that is impossible: clear the finalizer (oc patch {Kinds.Find(stuck.ApiVersion(), stuck.Kind())?.Plural ?? stuck.Kind()?.ToLowerInvariant()} {stuck.Name()} -n {stuck.Namespace()} --type=merge -p '{{\"metadata\":{{\"finalizers\":null}}}}') and delete what it would have cleaned up by hand.";
        }

        return $"{what}. The controller that owns the finalizer has not completed it: check that it runs (kserve-controller-manager, odh-model-controller) and its logs. "
            + "If Serverless or Service Mesh is being removed, keep them Managed until every Serverless/ModelMesh ISVC is deleted; clearing the finalizer is the last resort.";
    }
}
