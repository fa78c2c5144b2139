using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.DscFinalize;

/// <summary>
/// Computes the minimal merge patches of the guide's sections 7 and 8. Pure: objects in, patches out, so the
/// rules are testable without a cluster and a second run finds nothing to change.
/// </summary>
public static class DscPatchPlanner
{
    public sealed record PlannedPatch(JsonObject Patch, List<FieldChange> Changes)
    {
        public bool IsEmpty => Changes.Count == 0;
    }

    /// <summary>
    /// DSC (v1): defaultDeploymentMode -> RawDeployment; kserve.serving Managed -> Removed (Unmanaged is the
    /// user's own Knative and stays); modelmeshserving -> Removed. kserve.managementState itself is never touched.
    /// </summary>
    public static PlannedPatch ForDsc(JsonObject dsc)
    {
        var changes = new List<FieldChange>();
        var kservePatch = new JsonObject();
        var components = new JsonObject();
        var kserve = dsc.At("spec", "components", "kserve");

        if (kserve is JsonObject)
        {
            var mode = kserve.Str("defaultDeploymentMode");
            if (mode != "RawDeployment")
            {
                kservePatch["defaultDeploymentMode"] = "RawDeployment";
                changes.Add(Change(dsc, "spec.components.kserve.defaultDeploymentMode", mode, "RawDeployment"));
            }

            if (kserve.At("serving").Str("managementState") == "Managed")
            {
                kservePatch["serving"] = new JsonObject { ["managementState"] = "Removed" };
                changes.Add(Change(dsc, "spec.components.kserve.serving.managementState", "Managed", "Removed"));
            }
        }

        if (kservePatch.Count > 0)
        {
            components["kserve"] = kservePatch;
        }

        var modelMesh = dsc.At("spec", "components", "modelmeshserving");
        if (modelMesh is JsonObject && modelMesh.Str("managementState") is { } state && state != "Removed")
        {
            components["modelmeshserving"] = new JsonObject { ["managementState"] = "Removed" };
            changes.Add(Change(dsc, "spec.components.modelmeshserving.managementState", state, "Removed"));
        }

        var patch = components.Count == 0 ? new JsonObject() : new JsonObject { ["spec"] = new JsonObject { ["components"] = components } };
        return new PlannedPatch(patch, changes);
    }

    /// <summary>DSCI (v1): serviceMesh Managed -> Removed. Unmanaged stays; the section is never deleted.</summary>
    public static PlannedPatch ForDsci(JsonObject dsci)
    {
        if (dsci.At("spec", "serviceMesh").Str("managementState") != "Managed")
        {
            return new PlannedPatch(new JsonObject(), []);
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["serviceMesh"] = new JsonObject { ["managementState"] = "Removed" } } };
        return new PlannedPatch(patch, [Change(dsci, "spec.serviceMesh.managementState", "Managed", "Removed")]);
    }

    /// <summary>RFC 7386 merge patch applied locally: to show the exact result and to validate it against the CRD schema.</summary>
    public static JsonObject ApplyMergePatch(JsonObject target, JsonObject patch)
    {
        var result = target.DeepCopy();
        Merge(result, patch);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static FieldChange Change(JsonObject obj, string field, string? from, string to) => new(obj.Kind()!, obj.Name(), field, from, to);
}
