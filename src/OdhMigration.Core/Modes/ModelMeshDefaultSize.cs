namespace OdhMigration.Core.Modes;

/// <summary>
/// The upstream script's "Small" size for a ModelMesh InferenceService whose replacement has no resources from the
/// ISVC or the old runtime. One definition: transform writes it into the replacement, export counts it as demand.
/// </summary>
public static class ModelMeshDefaultSize
{
    public const string DefaultCpuRequest = "1";
    public const string DefaultCpuLimit = "2";
    public const string DefaultMemoryRequest = "4Gi";
    public const string DefaultMemoryLimit = "8Gi";
}
