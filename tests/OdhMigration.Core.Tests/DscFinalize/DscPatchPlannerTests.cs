using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.DscFinalize;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.DscFinalize;

public sealed class DscPatchPlannerTests
{
    private static JsonObject Fixture(string relative)
    {
        var path = Path.Combine(RepoPaths.Shared, "fixtures", "upstream", relative);
        return (JsonObject)Yaml.ParseDocuments(File.ReadAllText(path), path)[0].Root!;
    }

    private static JsonObject Dsc(string? mode, string? serving, string? modelMesh, string kserveState = "Managed")
    {
        var kserve = new JsonObject { ["managementState"] = kserveState };
        if (mode is not null)
        {
            kserve["defaultDeploymentMode"] = mode;
        }

        if (serving is not null)
        {
            kserve["serving"] = new JsonObject { ["managementState"] = serving, ["name"] = "knative-serving" };
        }

        var components = new JsonObject { ["kserve"] = kserve, ["dashboard"] = new JsonObject { ["managementState"] = "Managed" } };
        if (modelMesh is not null)
        {
            components["modelmeshserving"] = new JsonObject { ["managementState"] = modelMesh };
        }

        var dsc = Manifest.NewObject(Kinds.DataScienceCluster, "default-dsc", null);
        dsc["spec"] = new JsonObject { ["components"] = components };
        return dsc;
    }

    [Fact]
    public void Managed_serverless_dsc_gets_exactly_the_three_guide_fields()
    {
        var dsc = Dsc("Serverless", "Managed", "Managed");
        var planned = DscPatchPlanner.ForDsc(dsc);

        Assert.Equal(
            ["spec.components.kserve.defaultDeploymentMode", "spec.components.kserve.serving.managementState", "spec.components.modelmeshserving.managementState"],
            planned.Changes.Select(c => c.Field));
        var after = DscPatchPlanner.ApplyMergePatch(dsc, planned.Patch);
        var differences = JsonDiff.Leaves(dsc, after).Select(d => d.ToString()).ToList();
        Assert.Equal(
            [
                "spec.components.kserve.defaultDeploymentMode: Serverless -> RawDeployment",
                "spec.components.kserve.serving.managementState: Managed -> Removed",
                "spec.components.modelmeshserving.managementState: Managed -> Removed",
            ],
            differences);
    }

    [Fact]
    public void Kserve_management_state_and_other_components_are_never_touched()
    {
        var dsc = Dsc("Serverless", "Managed", "Managed");
        var patch = DscPatchPlanner.ForDsc(dsc).Patch;
        Assert.Null(patch.At("spec", "components", "kserve", "managementState"));
        Assert.Null(patch.At("spec", "components", "dashboard"));
        Assert.Null(patch.At("spec", "components", "kserve", "serving", "name"));
    }

    [Fact]
    public void Unmanaged_serving_is_left_as_is()
    {
        var planned = DscPatchPlanner.ForDsc(Dsc("Serverless", "Unmanaged", "Removed"));
        Assert.Equal(["spec.components.kserve.defaultDeploymentMode"], planned.Changes.Select(c => c.Field));
        Assert.Null(planned.Patch.At("spec", "components", "kserve", "serving"));
    }

    [Fact]
    public void A_finalized_dsc_needs_no_patch()
    {
        var planned = DscPatchPlanner.ForDsc(Dsc("RawDeployment", "Removed", "Removed"));
        Assert.True(planned.IsEmpty);
        Assert.Empty(planned.Patch);
    }

    [Theory]
    [InlineData("Managed", true)]
    [InlineData("Unmanaged", false)]
    [InlineData("Removed", false)]
    public void Dsci_service_mesh_moves_from_managed_to_removed_only(string state, bool changes)
    {
        var dsci = Manifest.NewObject(Kinds.DSCInitialization, "default-dsci", null);
        dsci["spec"] = new JsonObject { ["serviceMesh"] = new JsonObject { ["managementState"] = state, ["controlPlane"] = new JsonObject { ["name"] = "data-science-smcp" } } };
        var planned = DscPatchPlanner.ForDsci(dsci);
        Assert.Equal(changes, !planned.IsEmpty);
        var after = DscPatchPlanner.ApplyMergePatch(dsci, planned.Patch);
        Assert.Equal("data-science-smcp", after.At("spec", "serviceMesh", "controlPlane").Str("name"));
        Assert.Equal(changes ? "Removed" : state, after.At("spec", "serviceMesh").Str("managementState"));
    }

    [Fact]
    public void Upstream_odh_2x_dsc_and_dsci_fixtures_plan_as_the_guide_says()
    {
        var dsc = Fixture("odh-operator/stable-2.x/datasciencecluster_v1_datasciencecluster.yaml");
        var dsci = Fixture("odh-operator/stable-2.x/dscinitialization_v1_dscinitialization.yaml");

        var dscAfter = DscPatchPlanner.ApplyMergePatch(dsc, DscPatchPlanner.ForDsc(dsc).Patch);
        Assert.Equal("RawDeployment", dscAfter.At("spec", "components", "kserve").Str("defaultDeploymentMode"));
        Assert.NotEqual("Managed", dscAfter.At("spec", "components", "kserve", "serving").Str("managementState"));
        Assert.Equal(dsc.At("spec", "components", "kserve").Str("managementState"), dscAfter.At("spec", "components", "kserve").Str("managementState"));

        var dsciAfter = DscPatchPlanner.ApplyMergePatch(dsci, DscPatchPlanner.ForDsci(dsci).Patch);
        Assert.NotEqual("Managed", dsciAfter.At("spec", "serviceMesh").Str("managementState"));
        Assert.NotNull(dsciAfter.At("spec", "serviceMesh"));

        // Second planning on the result: nothing left to do.
        Assert.True(DscPatchPlanner.ForDsc(dscAfter).IsEmpty);
        Assert.True(DscPatchPlanner.ForDsci(dsciAfter).IsEmpty);
    }
}
