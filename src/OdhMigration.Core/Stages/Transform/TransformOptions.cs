namespace OdhMigration.Core.Stages.Transform;

public sealed record TransformOptions
{
    /// <summary>null: the mode's default (side-by-side for Serverless, new-namespace for ModelMesh).</summary>
    public string? Strategy { get; init; }
    public string? TargetNamespace { get; init; }

    /// <summary>preserve (cluster-local stays internal) or exposed.</summary>
    public string Visibility { get; init; } = "preserve";

    public bool IgnoreExistingNamespace { get; init; }
    public bool CopyPermissions { get; init; }

    /// <summary>compat, upgrade or skip (OpenVINO opset1 models, ModelMesh).</summary>
    public string Opset1 { get; init; } = "compat";
    public bool OvmsAutoVersioning { get; init; } = true;
    public IReadOnlyDictionary<string, string> RuntimeTemplates { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> StoragePaths { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> StorageUris { get; init; } = new Dictionary<string, string>();
    public string? TemplateNamespace { get; init; }
}
