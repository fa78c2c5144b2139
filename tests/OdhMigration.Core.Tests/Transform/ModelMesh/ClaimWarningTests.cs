using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform.ModelMesh;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>In place, the warning about the model's claim says what export actually found.</summary>
public sealed class ClaimWarningTests
{
    private static JsonObject Pvc(string name, string mode, string? mountedBy)
    {
        var annotations = mountedBy is null ? "" : $"annotations: {{migration.opendatahub.io/mounted-by: '{mountedBy}'}}";
        return (JsonObject)Yaml.ParseSingle($$"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: {{name}}, namespace: mm, {{annotations}}}
            spec: {accessModes: [{{mode}}]}
            """, "pvc")!;
    }

    [Fact]
    public void No_facts_file_says_to_run_export_again() =>
        Assert.Contains("run export again", ModelMeshTransformer.InPlaceClaimWarning("models", "mm", null), StringComparison.Ordinal);

    [Fact]
    public void A_claim_that_does_not_exist_is_named_as_missing_not_as_unknown()
    {
        var warning = ModelMeshTransformer.InPlaceClaimWarning("models", "mm", [Pvc("other", "ReadWriteOnce", "")]);
        Assert.Contains("claim models does not exist in namespace mm", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_write_once_claim_mounted_by_pods_names_them()
    {
        var warning = ModelMeshTransformer.InPlaceClaimWarning("models", "mm", [Pvc("models", "ReadWriteOnce", "modelmesh-serving-ovms-abc,modelmesh-serving-ovms-def")]);
        Assert.Contains("mounted by modelmesh-serving-ovms-abc, modelmesh-serving-ovms-def", warning, StringComparison.Ordinal);
        Assert.Contains("Multi-Attach", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_write_once_claim_no_pod_mounts_is_no_multi_attach_risk()
    {
        var warning = ModelMeshTransformer.InPlaceClaimWarning("models", "mm", [Pvc("models", "ReadWriteOnce", "")]);
        Assert.Contains("no pod mounted it", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("Multi-Attach", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_pods_keep_the_multi_attach_caution()
    {
        var warning = ModelMeshTransformer.InPlaceClaimWarning("models", "mm", [Pvc("models", "ReadWriteOnce", null)]);
        Assert.Contains("not known", warning, StringComparison.Ordinal);
        Assert.Contains("Multi-Attach", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_write_many_claim_can_be_shared() =>
        Assert.Contains("can be mounted by the old and the new pods", ModelMeshTransformer.InPlaceClaimWarning("models", "mm", [Pvc("models", "ReadWriteMany", "p1")]), StringComparison.Ordinal);
}
