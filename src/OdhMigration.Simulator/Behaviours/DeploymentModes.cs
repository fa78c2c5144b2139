using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>How KServe reads an InferenceService's deployment mode.</summary>
internal static class DeploymentModes
{
    public const string Annotation = "serving.kserve.io/deploymentMode";
    public const string Raw = "RawDeployment";

    /// <summary>"Standard" is the KServe 0.15+/ODH 3.x name of RawDeployment; both mean the same controller path.</summary>
    public static string? Normalize(string? mode) => mode == "Standard" ? Raw : mode;

    public static string Effective(JsonObject isvc, string defaultMode) =>
        Normalize(isvc.Annotation(Annotation)) ?? Normalize(defaultMode) ?? "Serverless";
}
