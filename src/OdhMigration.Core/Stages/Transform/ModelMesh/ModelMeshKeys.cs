namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>Label and annotation keys the ModelMesh migration reads or writes.</summary>
public static class ModelMeshKeys
{
    public const string ModelMeshEnabledLabel = "modelmesh-enabled";
    public const string DashboardLabel = "opendatahub.io/dashboard";
    public const string ManagedLabel = "opendatahub.io/managed";
    public const string EnableRoute = "enable-route";
    public const string EnableAuth = "enable-auth";
    public const string TemplateName = "opendatahub.io/template-name";
    public const string TemplateDisplayName = "opendatahub.io/template-display-name";
    public const string ServingRuntimeScope = "opendatahub.io/serving-runtime-scope";
    public const string ApiProtocol = "opendatahub.io/apiProtocol";
    public const string AcceleratorName = "opendatahub.io/accelerator-name";
    public const string DisplayName = "openshift.io/display-name";
    public const string MigrationSource = "migration.kserve.io/source";
    public const string MigrationOriginalNamespace = "migration.kserve.io/original-namespace";
    public const string Opset1Compatibility = "migration.kserve.io/opset1-compatibility";
    public const string OvmsAutoVersioning = "storage.kserve.io/ovms-auto-versioning";
    public const string SecretKeyAnnotation = "serving.kserve.io/secretKey";
    public const string SchemaPathAnnotation = "serving.kserve.io/schemaPath";
    public const string StorageConfigSecret = "storage-config";
    public const string ServiceAccountNameAnnotation = "kubernetes.io/service-account.name";
    public const string ServiceAccountTokenType = "kubernetes.io/service-account-token";

    /// <summary>The dashboard's ModelMesh OVMS template and the single-model template that replaces it.</summary>
    public const string ModelMeshOvmsTemplate = "ovms";
    public const string KServeOvmsTemplate = "kserve-ovms";

    /// <summary>Annotations Knative added to objects it touched; they mean nothing on a RawDeployment ISVC.</summary>
    public static readonly string[] KnativeCreatorAnnotations = ["serving.knative.dev/creator", "serving.knative.dev/lastModifier"];

    /// <summary>The upstream script's "Small" size, used only when neither the ISVC nor the old runtime set resources.</summary>
    public const string DefaultCpuRequest = Modes.ModelMeshDefaultSize.DefaultCpuRequest;
    public const string DefaultCpuLimit = Modes.ModelMeshDefaultSize.DefaultCpuLimit;
    public const string DefaultMemoryRequest = Modes.ModelMeshDefaultSize.DefaultMemoryRequest;
    public const string DefaultMemoryLimit = Modes.ModelMeshDefaultSize.DefaultMemoryLimit;

    public const int OvmsRestPort = 8888;
}
