using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Tests.Stages;

public sealed class ModeResolutionTests
{
    private static JsonObject Isvc(string? annotation, string? status)
    {
        var isvc = Manifest.NewObject(Kinds.InferenceService, "m", "ns");
        if (annotation is not null)
        {
            isvc.SetAnnotation(DeploymentMode.AnnotationKey, annotation);
        }

        if (status is not null)
        {
            isvc["status"] = new JsonObject { ["deploymentMode"] = status };
        }

        return isvc;
    }

    [Theory]
    [InlineData("Serverless", null, null, "Serverless", "annotation")]
    [InlineData("Knative", null, null, "Serverless", "annotation")]
    [InlineData("Standard", null, "Serverless", "RawDeployment", "annotation")]
    [InlineData("ModelMesh", "ModelMesh", null, "ModelMesh", "annotation")]
    [InlineData(null, "RawDeployment", "Serverless", "RawDeployment", "status")]
    [InlineData(null, null, "Serverless", "Serverless", "cluster-default")]
    [InlineData(null, null, "RawDeployment", "RawDeployment", "cluster-default")]
    public void Annotation_then_status_then_cluster_default(string? annotation, string? status, string? clusterDefault, string mode, string source)
    {
        var resolved = ModeResolution.Resolve(Isvc(annotation, status), clusterDefault);
        Assert.Equal(mode, resolved.Mode);
        Assert.Equal(source, resolved.Source);
    }

    [Fact]
    public void An_unrecognised_annotation_is_unknown_not_guessed()
    {
        var resolved = ModeResolution.Resolve(Isvc("Serverlessish", null), "Serverless");
        Assert.Equal(DeploymentMode.Unknown, resolved.Mode);
        Assert.Contains("Serverlessish", resolved.Source, StringComparison.Ordinal);
    }
}
