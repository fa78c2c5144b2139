using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// The containers KServe's pod mutating webhook adds to a predictor pod for its storageUri, as
/// pkg/webhook/admission/pod/storage_initializer_injector.go (InjectStorageInitializer, InjectModelcar; KServe
/// release-0.14 and the ODH 2.x fork) adds them:
/// <list type="bullet">
/// <item>no storageUri (nor storage spec): nothing (the webhook acts only on the source-URI annotation the controller sets from it);</item>
/// <item>an init container named storage-initializer already in the spec: nothing more ("Don't inject if InitContainer already injected"; it is counted as the ISVC states it);</item>
/// <item>oci:// with enableModelcar: a "modelcar" container beside the model server and a "modelcar-init" init container,
/// each requesting and limited to cpuModelcar/memoryModelcar (pkg/utils ConfigureModelcarToContainer, CreateModelcarInitContainer);</item>
/// <item>pvc:// with enableDirectPvcVolumeMount: nothing, the claim is mounted into the model server directly;</item>
/// <item>any other URI (s3://, gs://, https://, hf://, pvc:// without direct mount, oci:// without modelcar):
/// the storage-initializer init container, with cpuRequest/memoryRequest and cpuLimit/memoryLimit.</item>
/// </list>
/// A ClusterStorageContainer matching the URI would merge its own resources over the storage-initializer's
/// (mergeContainerSpecs); ODH removes KServe's default one (config/overlays/odh/patches/remove-storagecontainer.yaml),
/// and they are not read here.
/// </summary>
public static class StorageInitializer
{
    public const string ContainerName = "storage-initializer";
    public const string ModelcarName = "modelcar";
    public const string ModelcarInitName = "modelcar-init";
    public const string ConfigKey = "storageInitializer";

    /// <summary>The env var a custom predictor container names its model with (KServe constants.CustomSpecStorageUriEnvVarKey).</summary>
    private const string StorageUriEnv = "STORAGE_URI";

    // KServe's upstream values (config/configmap/inferenceservice.yaml, storageInitializer; constants
    // CpuModelcarDefault/MemoryModelcarDefault). ODH 2.x raises memoryLimit to 24Gi in its overlay.
    private static readonly (string Key, string Resource, string Default)[] RequestKeys = [("cpuRequest", "cpu", "100m"), ("memoryRequest", "memory", "100Mi")];
    private static readonly (string Key, string Resource, string Default)[] LimitKeys = [("cpuLimit", "cpu", "1"), ("memoryLimit", "memory", "1Gi")];
    private static readonly (string Key, string Resource, string Default)[] ModelcarKeys = [("cpuModelcar", "cpu", "10m"), ("memoryModelcar", "memory", "15Mi")];

    /// <summary>KServe's upstream defaults, for when the ConfigMap could not be read (ODH's memoryLimit is higher).</summary>
    public static StorageInitializerSettings Defaults(string why) => Build(new JsonObject(), $"KServe defaults ({why})", false, false);

    /// <summary>
    /// The settings in <paramref name="configMap"/>'s data.storageInitializer (a JSON string); a key it lacks takes
    /// KServe's default. Null, with a warning, when the key is missing or is not valid JSON, or a quantity is bad.
    /// </summary>
    public static StorageInitializerSettings? FromConfigMap(JsonObject configMap, List<string> warnings)
    {
        var where = $"ConfigMap {configMap.Namespace()}/{configMap.Name()} data.{ConfigKey}";
        if (configMap.At("data").Str(ConfigKey) is not { } text)
        {
            warnings.Add($"{where} is not set");
            return null;
        }

        try
        {
            var json = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not a JSON object");
            return Build(json, where, Flag(json, "enableDirectPvcVolumeMount"), Flag(json, "enableModelcar"));
        }
        catch (Exception ex) when (ex is JsonException or QuantityException)
        {
            warnings.Add($"{where} cannot be read ({ex.Message})");
            return null;
        }
    }

    /// <summary>What the webhook adds to the predictor's pod (empty when nothing), each marked <see cref="ContainerDemand.Injected"/>; a note says why.</summary>
    public static List<ContainerDemand> Injected(JsonObject predictor, JsonObject? model, StorageInitializerSettings settings, List<string> notes)
    {
        var uri = StorageUri(predictor, model);
        if (uri is null)
        {
            return [];
        }

        if ((predictor["initContainers"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c.Str("name") == ContainerName))
        {
            notes.Add($"predictor: its own {ContainerName} init container is used; KServe injects none");
            return [];
        }

        if (uri.StartsWith("oci://", StringComparison.Ordinal) && settings.EnableModelcar)
        {
            notes.Add($"predictor: {ModelcarName} container and {ModelcarInitName} init container (injected by KServe for an oci:// model) each request and are limited to {Describe(settings.Modelcar)} ({settings.Source})");
            return
            [
                Container(ModelcarInitName, settings.Modelcar, settings.Modelcar, ContainerDemand.InitKind),
                Container(ModelcarName, settings.Modelcar, settings.Modelcar, null),
            ];
        }

        if (uri.StartsWith("pvc://", StringComparison.Ordinal) && settings.EnableDirectPvcVolumeMount)
        {
            return [];
        }

        notes.Add($"predictor: {ContainerName} (injected by KServe) requests {Describe(settings.Requests)}, limits {Describe(settings.Limits)} ({settings.Source}); a pod counts its largest init container or the sum of its containers, whichever is more");
        return [Container(ContainerName, settings.Requests, settings.Limits, ContainerDemand.InitKind)];
    }

    /// <summary>The injected containers' amounts of <paramref name="resource"/> (limits or requests), e.g. "storage-initializer (injected by KServe) limits.memory 24Gi".</summary>
    public static IEnumerable<string> Describe(IEnumerable<ContainerDemand> containers, string resource, bool limits) =>
        containers.Where(c => c.Injected == true && (limits ? c.Limits : new Requirements(c.Requests, c.Limits).Requests()).ContainsKey(resource))
            .Select(c => $"{c.Name} (injected by KServe) {(limits ? "limits" : "requests")}.{resource} {Amount(resource, (limits ? c.Limits : new Requirements(c.Requests, c.Limits).Requests())[resource])}");

    /// <summary>
    /// The URI the controller puts in the webhook's source-URI annotation: the model's (or old framework key's)
    /// storageUri, the predictor's, a custom container's STORAGE_URI env; a storage spec (model.storage) without one
    /// is downloaded by the storage initializer too, so it counts as a plain URI.
    /// </summary>
    private static string? StorageUri(JsonObject predictor, JsonObject? model)
    {
        if (model.Str("storageUri") is { Length: > 0 } fromModel)
        {
            return fromModel;
        }

        if (predictor.Str("storageUri") is { Length: > 0 } fromPredictor)
        {
            return fromPredictor;
        }

        if (model?["storage"] is JsonObject)
        {
            return "storage:";
        }

        var first = (predictor["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault();
        return (first?["env"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(e => e.Str("name") == StorageUriEnv)?.Str("value") is { Length: > 0 } fromEnv ? fromEnv : null;
    }

    private static StorageInitializerSettings Build(JsonObject json, string source, bool directPvc, bool modelcar) => new()
    {
        Source = source,
        Requests = Amounts(json, RequestKeys, source),
        Limits = Amounts(json, LimitKeys, source),
        EnableDirectPvcVolumeMount = directPvc,
        EnableModelcar = modelcar,
        Modelcar = Amounts(json, ModelcarKeys, source),
    };

    private static Dictionary<string, decimal> Amounts(JsonObject json, (string Key, string Resource, string Default)[] keys, string where) =>
        keys.ToDictionary(
            k => k.Resource,
            // Go reads an absent (or empty) key as "": KServe's default applies.
            k => json[k.Key] is JsonValue value && value.ToString().Length > 0 ? Quantities.Parse(value, $"{where}.{k.Key}") : Quantities.Parse(k.Default, k.Key),
            StringComparer.Ordinal);

    // Go's json.Unmarshal into a bool field: only true is true.
    private static bool Flag(JsonObject json, string key) => json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static ContainerDemand Container(string name, Dictionary<string, decimal> requests, Dictionary<string, decimal> limits, string? init) =>
        new(name, new Dictionary<string, decimal>(requests, StringComparer.Ordinal), new Dictionary<string, decimal>(limits, StringComparer.Ordinal)) { Init = init, Injected = true };

    private static string Describe(Dictionary<string, decimal> amounts) =>
        string.Join(", ", amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {Amount(a.Key, a.Value)}"));

    private static string Amount(string resource, decimal value) =>
        resource == "memory" && value >= 1024m * 1024 && value % (1024m * 1024) == 0
            ? value % (1024m * 1024 * 1024) == 0
                ? (value / (1024m * 1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) + "Gi"
                : (value / (1024m * 1024)).ToString("0", CultureInfo.InvariantCulture) + "Mi"
            : Quantities.Format(value);
}
