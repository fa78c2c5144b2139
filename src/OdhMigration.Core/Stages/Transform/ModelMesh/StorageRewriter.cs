using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>What the storage rewrite decided for one ISVC.</summary>
/// <param name="LocationKept">No override: the model stays where it is (OVMS auto-versioning applies).</param>
/// <param name="PvcClaim">The claim a PVC-backed model reads from, or null.</param>
/// <param name="StorageConfigKey">The storage-config entry the model's storage spec names, or null.</param>
public sealed record StorageOutcome(bool LocationKept, string? PvcClaim, string? StorageConfigKey);

/// <summary>
/// Turns every ModelMesh storage form into one RawDeployment KServe understands: storage.key/path stay;
/// the ModelMesh-only serving.kserve.io/secretKey + s3:// storageUri becomes a storage spec; PVC-backed models
/// (storage.parameters type pvc) become storageUri pvc://claim/path, which the KServe pod webhook accepts
/// (a storage spec of type pvc is refused with "storage type must be one of [s3, hdfs, webhdfs]").
/// </summary>
public static class StorageRewriter
{
    public static StorageOutcome Rewrite(JsonObject isvc, JsonObject model, string? uriOverride, string? pathOverride, List<string> warnings, List<string> changes)
    {
        if (uriOverride is not null && pathOverride is not null)
        {
            throw new TransformRefusedException("both --storage-uri and --storage-path name this InferenceService; give one of them");
        }

        ConvertSecretKeyForm(isvc, model, changes);
        ConvertPvcStorageSpec(model, changes);

        if (uriOverride is not null)
        {
            if (model["storage"] is JsonObject storage && storage.Str("key") is { } key)
            {
                warnings.Add($"--storage-uri replaces storage.key '{key}': the credentials of that connection no longer apply; the URI must be readable without them (or through a ServiceAccount with credentials)");
            }

            model.Remove("storage");
            model["storageUri"] = uriOverride;
            changes.Add($"storageUri set to {uriOverride} (--storage-uri; the model is expected in the OpenVINO versioned layout <model>/1/...)");
        }
        else if (pathOverride is not null)
        {
            if (model["storage"] is not JsonObject storage)
            {
                throw new TransformRefusedException("--storage-path needs a storage spec (storage.key/path) but the model uses storageUri; use --storage-uri instead");
            }

            storage["path"] = pathOverride;
            changes.Add($"storage.path set to {pathOverride} (--storage-path; the model is expected in the OpenVINO versioned layout <model>/1/...)");
        }

        var uri = model.Str("storageUri");
        var claim = uri is not null && uri.StartsWith("pvc://", StringComparison.Ordinal) ? uri["pvc://".Length..].Split('/')[0] : null;
        if (uri is not null && uri.StartsWith("pvc://", StringComparison.Ordinal) && string.IsNullOrEmpty(claim))
        {
            throw new TransformRefusedException($"storageUri '{uri}' names no PersistentVolumeClaim");
        }

        return new StorageOutcome(uriOverride is null && pathOverride is null, claim, model["storage"] is JsonObject s ? s.Str("key") : null);
    }

    private static void ConvertSecretKeyForm(JsonObject isvc, JsonObject model, List<string> changes)
    {
        if (isvc.Annotation(ModelMeshKeys.SecretKeyAnnotation) is not { } secretKey)
        {
            return;
        }

        var uri = model.Str("storageUri")
            ?? throw new TransformRefusedException($"annotation {ModelMeshKeys.SecretKeyAnnotation} '{secretKey}' without spec.predictor.model.storageUri: nothing to turn into a storage spec");
        if (!uri.StartsWith("s3://", StringComparison.Ordinal))
        {
            throw new TransformRefusedException($"annotation {ModelMeshKeys.SecretKeyAnnotation} with storageUri '{uri}': only s3:// can become a RawDeployment storage spec; give --storage-uri {isvc.Name()}=<uri> for a location readable without the ModelMesh secret");
        }

        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var storage = new JsonObject { ["key"] = secretKey, ["path"] = path, ["parameters"] = new JsonObject { ["bucket"] = bucket } };
        if (isvc.Annotation(ModelMeshKeys.SchemaPathAnnotation) is { } schemaPath)
        {
            storage["schemaPath"] = schemaPath;
            isvc.RemoveAnnotation(ModelMeshKeys.SchemaPathAnnotation);
        }

        model.Remove("storageUri");
        model["storage"] = storage;
        isvc.RemoveAnnotation(ModelMeshKeys.SecretKeyAnnotation);
        changes.Add($"storage: {ModelMeshKeys.SecretKeyAnnotation} '{secretKey}' + storageUri {uri} -> storage {{key: {secretKey}, path: {path}, parameters.bucket: {bucket}}} (RawDeployment does not read the ModelMesh annotation)");
    }

    private static void ConvertPvcStorageSpec(JsonObject model, List<string> changes)
    {
        if (model["storage"] is not JsonObject storage || storage.At("parameters").Str("type") != "pvc")
        {
            return;
        }

        var claim = storage.At("parameters").Str("name")
            ?? throw new TransformRefusedException("storage.parameters type pvc without a claim name (storage.parameters.name)");
        var path = (storage.Str("path") ?? "").TrimStart('/');
        var uri = $"pvc://{claim}/{path}";
        model.Remove("storage");
        model["storageUri"] = uri;
        changes.Add($"storage: PVC storage spec (claim {claim}) -> storageUri {uri}");
    }
}
