using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Modes;

/// <summary>Reads the facts later stages and the human report need from an ISVC and its runtime.</summary>
public static class IsvcFactsReader
{
    public const string AuthKey = "security.opendatahub.io/enable-auth";
    public const string KnativeVisibilityKey = "networking.knative.dev/visibility";
    public const string KServeVisibilityKey = "networking.kserve.io/visibility";

    /// <summary>At most this many names are listed in RuntimeSharedWith; RuntimeSharedCount has the full count.</summary>
    public const int SharedWithLimit = 50;

    public static IsvcFacts Read(JsonObject isvc, string mode, RuntimeResolver.Resolution runtime, IReadOnlyList<string> sharedWith, int? sharedCount = null)
    {
        var (format, version) = RuntimeResolver.ModelFormat(isvc);
        var (auth, authSource) = Auth(isvc, mode, runtime.RuntimeObject);
        var (storageForm, storageKey, storagePath) = StorageDetail(isvc);
        return new IsvcFacts
        {
            Runtime = runtime.Runtime,
            RuntimeResolvedBy = runtime.ResolvedBy,
            RuntimeExists = runtime.RuntimeObject is not null,
            RuntimeSharedWith = sharedWith.Take(SharedWithLimit).ToList(),
            RuntimeSharedCount = sharedCount ?? sharedWith.Count,
            ModelFormat = format,
            ModelFormatVersion = version,
            Auth = auth,
            AuthSource = authSource,
            Visibility = Visibility(isvc, mode, runtime.RuntimeObject),
            StorageForm = storageForm,
            StorageKey = storageKey,
            StoragePath = storagePath,
            HasTransformer = isvc.At("spec", "transformer") is JsonObject,
            HasExplainer = isvc.At("spec", "explainer") is JsonObject,
            GitOps = GitOps(isvc),
            Url = isvc.At("status").Str("url"),
            Ready = ReadyCondition(isvc),
        };
    }

    public static (bool Enabled, string Source) Auth(JsonObject isvc, string mode, JsonObject? runtime)
    {
        if (mode == DeploymentMode.ModelMesh)
        {
            // ModelMesh keeps auth on the runtime (dashboard writes plain 'enable-auth').
            return runtime?.Annotation("enable-auth") is { } mm ? (IsTrue(mm), "runtime-annotation") : (false, "none");
        }

        if (isvc.Annotation(AuthKey) is { } annotation)
        {
            return (IsTrue(annotation), "annotation");
        }

        return isvc.Label(AuthKey) is { } label ? (IsTrue(label), "label") : (false, "none");
    }

    public static string Visibility(JsonObject isvc, string mode, JsonObject? runtime) => mode switch
    {
        DeploymentMode.Serverless => isvc.Label(KnativeVisibilityKey) == "cluster-local" ? "cluster-local" : "public",
        DeploymentMode.ModelMesh => IsTrue(runtime?.Annotation("enable-route")) ? "exposed" : "internal",
        _ => isvc.Label(KServeVisibilityKey) == "exposed" ? "exposed" : "internal",
    };

    /// <summary>
    /// The storage form: storage.key (a data connection; with storage.path), storageUri by scheme (pvc:// gives the
    /// claim name as key), a PVC through storage.parameters, or ModelMesh's serving.kserve.io/secretKey annotation.
    /// </summary>
    public static (string Form, string? Key) Storage(JsonObject isvc)
    {
        var (form, key, _) = StorageDetail(isvc);
        return (form, key);
    }

    public static (string Form, string? Key, string? Path) StorageDetail(JsonObject isvc)
    {
        var model = isvc.At("spec", "predictor", "model");
        var storage = model?["storage"];
        var path = storage.Str("path");
        if (storage is JsonObject)
        {
            if (storage.At("parameters").Str("type") == "pvc")
            {
                return ("pvc", storage.Str("key"), path);
            }

            if (storage.Str("key") is { } key)
            {
                return ("storage-key", key, path);
            }
        }

        var uri = model.Str("storageUri") ?? OldFormStorageUri(isvc);
        if (isvc.Annotation("serving.kserve.io/secretKey") is { } secretKey)
        {
            return ("modelmesh-secret-key", secretKey, path ?? uri);
        }

        if (uri is not null)
        {
            var at = uri.IndexOf("://", StringComparison.Ordinal);
            if (at < 0)
            {
                return ("storage-uri:path", null, uri);
            }

            var scheme = uri[..at];
            if (scheme == "pvc")
            {
                // pvc://<claim>/<path inside the claim>
                var rest = uri[(at + 3)..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                return ("pvc", slash < 0 ? rest : rest[..slash], slash < 0 ? null : rest[(slash + 1)..]);
            }

            // Only the scheme is recorded for remote URIs: a URI may carry credentials in its user-info part.
            return ($"storage-uri:{scheme}", null, null);
        }

        return ("none", null, path);
    }

    public static string? GitOps(JsonObject isvc)
    {
        if (isvc.Annotations().Keys.Any(k => k.StartsWith("argocd.argoproj.io/", StringComparison.Ordinal))
            || isvc.Labels().Keys.Any(k => k.StartsWith("argocd.argoproj.io/", StringComparison.Ordinal)))
        {
            return "argocd";
        }

        if (isvc.Labels().Keys.Any(k => k.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) || k.StartsWith("helm.toolkit.fluxcd.io/", StringComparison.Ordinal)))
        {
            return "flux";
        }

        return null;
    }

    public static bool? ReadyCondition(JsonObject obj) =>
        obj.At("status", "conditions") is JsonArray conditions
            ? conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready") is { } ready ? ready.Str("status") == "True" : null
            : null;

    public static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static string? OldFormStorageUri(JsonObject isvc) =>
        isvc.At("spec", "predictor") is JsonObject predictor
            ? predictor.Select(p => p.Value.Str("storageUri")).FirstOrDefault(u => u is not null)
            : null;
}
