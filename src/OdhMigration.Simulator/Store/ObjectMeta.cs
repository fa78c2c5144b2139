using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>Metadata rules shared by the store's write paths.</summary>
internal static partial class ObjectMeta
{
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Key(string? ns, string name) => (ns ?? string.Empty) + "\0" + name;

    public static string? ResourceVersion(JsonObject obj) => obj.At("metadata", "resourceVersion") is JsonValue v ? v.ToString() : null;

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj.At("metadata", "finalizers") is JsonArray a ? a.Select(f => f?.ToString() ?? string.Empty).Where(f => f.Length > 0).ToList() : [];

    /// <summary>metadata.generation whatever numeric CLR type the node holds (parsed JSON, YAML or set in code).</summary>
    public static long Generation(JsonObject obj) =>
        obj.At("metadata", "generation") is JsonValue v && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : 0;

    public static bool IsDeleting(JsonObject obj) => obj.At("metadata", "deletionTimestamp") is not null;

    /// <summary>Everything but metadata and status, in canonical form: a change here bumps metadata.generation.</summary>
    public static string SpecPart(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is not ("metadata" or "status" or "apiVersion" or "kind"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return Manifest.Canonical(copy);
    }

    /// <summary>The object without the fields the server rewrites on every write; equal means a no-op update.</summary>
    public static string Comparable(JsonObject obj)
    {
        var copy = obj.DeepCopy();
        if (copy["metadata"] is JsonObject m)
        {
            m.Remove("resourceVersion");
            m.Remove("managedFields");
        }

        return Manifest.Canonical(copy);
    }

    public static void ValidateName(ResourceKind kind, string name)
    {
        if (name.Length == 0)
        {
            throw ApiException.Invalid(kind, name, "metadata.name", "Required value: name or generateName is required");
        }

        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw ApiException.Invalid(kind, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
