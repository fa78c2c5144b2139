using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Modes;

/// <summary>An InferenceService's effective deployment mode and where that answer came from.</summary>
public sealed record ModeResolution(string Mode, string Source)
{
    /// <summary>
    /// Annotation first (it is what the controllers act on), then the status the controller recorded, then the
    /// cluster default from inferenceservice-config. The upstream scripts look only at the annotation and so
    /// silently skip unannotated Serverless ISVCs.
    /// </summary>
    public static ModeResolution Resolve(JsonObject isvc, string? clusterDefault)
    {
        var annotation = isvc.Annotation(DeploymentMode.AnnotationKey);
        if (DeploymentMode.Normalise(annotation) is { } fromAnnotation)
        {
            return new ModeResolution(fromAnnotation, "annotation");
        }

        if (DeploymentMode.Normalise(isvc.At("status").Str("deploymentMode")) is { } fromStatus)
        {
            return new ModeResolution(fromStatus, "status");
        }

        if (annotation is not null)
        {
            // An annotation we cannot read is a question for a human, not something to paper over with a default.
            return new ModeResolution(DeploymentMode.Unknown, $"annotation (unrecognised value '{annotation}')");
        }

        if (DeploymentMode.Normalise(clusterDefault) is { } fromDefault)
        {
            return new ModeResolution(fromDefault, "cluster-default");
        }

        return new ModeResolution(DeploymentMode.Serverless, "assumed (no annotation, status or cluster default; KServe's built-in default is Serverless)");
    }
}
