namespace OdhMigration.Core.Modes;

/// <summary>Normalised deployment modes. 3.x renamed them in the UI (Serverless = Knative, RawDeployment = Standard).</summary>
public static class DeploymentMode
{
    public const string Serverless = "Serverless";
    public const string ModelMesh = "ModelMesh";
    public const string RawDeployment = "RawDeployment";
    public const string Unknown = "Unknown";

    public const string AnnotationKey = "serving.kserve.io/deploymentMode";

    /// <summary>Maps every accepted spelling to its normalised mode, or null when the value is not a mode.</summary>
    public static string? Normalise(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "SERVERLESS" or "KNATIVE" => Serverless,
        "MODELMESH" => ModelMesh,
        "RAWDEPLOYMENT" or "STANDARD" or "RAW" => RawDeployment,
        _ => null,
    };

    public static bool IsMigratable(string mode) => mode is Serverless or ModelMesh;
}
