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

    /// <summary>Whether everything but metadata and status is equal: a change there bumps metadata.generation.</summary>
    public static bool SameSpec(JsonObject a, JsonObject b) => SameExcept(a, b, IgnoredForSpec);

    /// <summary>
    /// Whether two versions differ only in the fields the server rewrites on every write (resourceVersion,
    /// managedFields); equal means a no-op update, which must not bump resourceVersion. Allocation-free on purpose:
    /// controllers call it for every event.
    /// </summary>
    public static bool SameExceptServerFields(JsonObject a, JsonObject b) =>
        SameExcept(a, b, IgnoredNone, "metadata")
        && SameExcept(a["metadata"] as JsonObject ?? [], b["metadata"] as JsonObject ?? [], IgnoredInMetadata);

    private static readonly HashSet<string> IgnoredForSpec = new(StringComparer.Ordinal) { "metadata", "status", "apiVersion", "kind" };
    private static readonly HashSet<string> IgnoredInMetadata = new(StringComparer.Ordinal) { "resourceVersion", "managedFields" };
    private static readonly HashSet<string> IgnoredNone = new(StringComparer.Ordinal);

    private static bool SameExcept(JsonObject a, JsonObject b, HashSet<string> ignored, string? alsoIgnored = null)
    {
        foreach (var (key, value) in a)
        {
            if (ignored.Contains(key) || key == alsoIgnored)
            {
                continue;
            }

            if (!b.TryGetPropertyValue(key, out var other) || !JsonNode.DeepEquals(value, other))
            {
                return false;
            }
        }

        foreach (var (key, _) in b)
        {
            if (!ignored.Contains(key) && key != alsoIgnored && !a.ContainsKey(key))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A copy of a tree whose values are plain CLR primitives. Nodes parsed by JsonNode.Parse are backed by a
    /// JsonElement, and every DeepClone of such a value allocates a new JsonDocument; stored objects are cloned on
    /// every read, so they are materialised once on the way in.
    /// </summary>
    public static JsonNode? Materialize(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    copy[key] = Materialize(child);
                }

                return copy;
            case JsonArray array:
                var items = new JsonNode?[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Materialize(array[i]);
                }

                return new JsonArray(items);
            default:
                var value = node.AsValue();
                return value.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
                    System.Text.Json.JsonValueKind.True => JsonValue.Create(true),
                    System.Text.Json.JsonValueKind.False => JsonValue.Create(false),
                    System.Text.Json.JsonValueKind.Number when long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                    System.Text.Json.JsonValueKind.Number => JsonValue.Create(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
                    _ => null,
                };
        }
    }

    public static JsonObject Materialize(JsonObject obj) => (JsonObject)Materialize((JsonNode)obj)!;

    public static void ValidateName(ResourceKind kind, string name) => Admission.NameValidation.Validate(kind, name);
}
