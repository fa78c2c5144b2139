using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Admission;

/// <summary>
/// The conversions, defaults and validations of the built-in kinds the tools write that decide whether a write
/// succeeds (kubernetes/kubernetes pkg/apis/core/validation/validation.go, pkg/apis/core/v1/conversion.go and
/// defaults.go, pkg/apis/rbac/validation): Secret <c>stringData</c> folded into <c>data</c>, base64 <c>data</c>,
/// default and immutable <c>type</c>, <c>immutable</c> Secrets and ConfigMaps, config key names, PVC spec
/// immutability, RoleBinding <c>roleRef</c> immutability. Messages are the API server's.
/// </summary>
internal sealed partial class BuiltinValidation : IAdmissionCheck
{
    private const string ImmutableWhenSet = "field is immutable when `immutable` is set";

    public void Admit(ResourceKind kind, JsonObject? previous, JsonObject candidate, WriteContext context)
    {
        if (context.IsStatus)
        {
            return;
        }

        var errors = new List<FieldError>();
        if (kind == Kinds.Secret)
        {
            Secret(previous, candidate, errors);
        }
        else if (kind == Kinds.ConfigMap)
        {
            ConfigMap(previous, candidate, errors);
        }
        else if (kind == Kinds.PersistentVolumeClaim)
        {
            PersistentVolumeClaim(previous, candidate, errors);
        }
        else if (kind == Kinds.RoleBinding && previous is not null && !JsonNode.DeepEquals(previous["roleRef"], candidate["roleRef"]))
        {
            // The value prints as Go prints the internal struct (%#v).
            var roleRef = candidate["roleRef"];
            var shown = $"rbac.RoleRef{{APIGroup:{FieldError.Quote(roleRef?["apiGroup"]?.ToString() ?? string.Empty)}, Kind:{FieldError.Quote(roleRef?["kind"]?.ToString() ?? string.Empty)}, Name:{FieldError.Quote(roleRef?["name"]?.ToString() ?? string.Empty)}}}";
            errors.Add(new FieldError("FieldValueInvalid", "roleRef", $"Invalid value: {shown}: cannot change roleRef"));
        }

        if (errors.Count > 0)
        {
            throw FieldError.ToInvalid(kind, candidate.Name(), errors);
        }
    }

    private static void Secret(JsonObject? previous, JsonObject candidate, List<FieldError> errors)
    {
        // v1 -> internal conversion: stringData entries overwrite data entries and stringData is never stored.
        if (candidate["stringData"] is JsonObject stringData)
        {
            var data = candidate["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? string.Empty));
            }

            candidate["data"] = data;
            candidate.Remove("stringData");
        }

        if (candidate["data"] is JsonObject encoded)
        {
            foreach (var (_, value) in encoded)
            {
                if (value?.ToString() is { } text && BadBase64At(text) is { } at)
                {
                    throw ApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {at}");
                }
            }
        }

        candidate["type"] ??= "Opaque"; // SetDefaults_Secret
        ConfigKeys("data", candidate["data"] as JsonObject, errors);
        var type = candidate["type"]!.ToString();
        if (type == "kubernetes.io/service-account-token" && candidate.Annotation("kubernetes.io/service-account.name") is not { Length: > 0 })
        {
            errors.Add(FieldError.Required("metadata.annotations[kubernetes.io/service-account.name]"));
        }

        if (previous is null)
        {
            return;
        }

        if (previous["type"]?.ToString() is { } oldType && oldType != type)
        {
            errors.Add(FieldError.Invalid("type", candidate["type"], "field is immutable"));
        }

        Immutable(previous, candidate, ["data"], errors);
    }

    private static void ConfigMap(JsonObject? previous, JsonObject candidate, List<FieldError> errors)
    {
        ConfigKeys("data", candidate["data"] as JsonObject, errors);
        ConfigKeys("binaryData", candidate["binaryData"] as JsonObject, errors);
        if (previous is not null)
        {
            Immutable(previous, candidate, ["data", "binaryData"], errors);
        }
    }

    /// <summary>ValidateSecretUpdate / ValidateConfigMapUpdate: an immutable object keeps its data and stays immutable.</summary>
    private static void Immutable(JsonObject previous, JsonObject candidate, string[] dataFields, List<FieldError> errors)
    {
        if (previous["immutable"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            return;
        }

        if (candidate["immutable"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            errors.Add(FieldError.Forbidden("immutable", ImmutableWhenSet));
        }

        foreach (var field in dataFields)
        {
            if (!JsonNode.DeepEquals(previous[field], candidate[field]))
            {
                errors.Add(FieldError.Forbidden(field, ImmutableWhenSet));
            }
        }
    }

    private static void ConfigKeys(string field, JsonObject? data, List<FieldError> errors)
    {
        foreach (var (key, _) in data ?? [])
        {
            if (key.Length > 253 || !ConfigKey().IsMatch(key))
            {
                errors.Add(FieldError.Invalid($"{field}[{key}]", JsonValue.Create(key), "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
            }
        }
    }

    private static void PersistentVolumeClaim(JsonObject? previous, JsonObject candidate, List<FieldError> errors)
    {
        var spec = candidate["spec"] as JsonObject ?? [];
        if (spec["accessModes"] is not JsonArray { Count: > 0 })
        {
            errors.Add(FieldError.Required("spec.accessModes", "at least 1 access mode is required"));
        }

        if (spec.At("resources", "requests", "storage") is not { } storage)
        {
            errors.Add(FieldError.Required("spec.resources[storage]"));
        }
        else if (!Quantity().IsMatch(storage.ToString()))
        {
            throw ApiException.BadRequest("PersistentVolumeClaim in version \"v1\" cannot be handled as a PersistentVolumeClaim: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }

        if (previous is null)
        {
            return;
        }

        // Only a bound claim may change its requests (expansion); volumeAttributesClassName may change.
        var bound = previous.At("status", "phase")?.ToString() == "Bound";
        var oldSpec = (previous["spec"] as JsonObject ?? []).DeepClone().AsObject();
        var newSpec = spec.DeepClone().AsObject();
        oldSpec.Remove("volumeAttributesClassName");
        newSpec.Remove("volumeAttributesClassName");
        if (bound)
        {
            (oldSpec["resources"] as JsonObject)?.Remove("requests");
            (newSpec["resources"] as JsonObject)?.Remove("requests");
        }

        if (!JsonNode.DeepEquals(oldSpec, newSpec))
        {
            errors.Add(FieldError.Forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
    }

    /// <summary>Where Go's base64.StdEncoding would stop decoding, or null when the text decodes.</summary>
    private static int? BadBase64At(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\r' or '\n'))
            {
                return i;
            }
        }

        Span<byte> buffer = text.Length <= 4096 ? stackalloc byte[text.Length] : new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _) ? null : text.Length - (text.Length % 4);
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    [GeneratedRegex("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")]
    private static partial Regex Quantity();
}
