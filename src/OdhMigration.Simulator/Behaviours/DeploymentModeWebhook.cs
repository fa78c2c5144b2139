using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// KServe's validating webhook rule that the migration has to live with: the deployment mode of an existing
/// InferenceService cannot change. The stored mode is status.deploymentMode, else the stored annotation; an update
/// whose annotation differs from it (or drops it) is refused, which is why the migration recreates ISVCs.
/// </summary>
internal sealed class DeploymentModeWebhook : IAdmissionCheck
{
    public void Admit(ResourceKind kind, JsonObject? previous, JsonObject candidate, WriteContext context)
    {
        if (previous is null || kind.Plural != Kinds.InferenceService.Plural || kind.Group != Kinds.InferenceService.Group || context.IsStatus)
        {
            return;
        }

        var stored = DeploymentModes.Normalize(previous.At("status", "deploymentMode")?.ToString())
            ?? DeploymentModes.Normalize(previous.Annotation(DeploymentModes.Annotation));
        if (stored is null)
        {
            return;
        }

        var requested = DeploymentModes.Normalize(candidate.Annotation(DeploymentModes.Annotation));
        if (requested != stored && (requested is not null || previous.Annotation(DeploymentModes.Annotation) is not null))
        {
            throw new ApiException(
                400,
                "BadRequest",
                $"admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied the request: update rejected: deploymentMode cannot be changed from '{stored}' to '{requested}'");
        }
    }
}
