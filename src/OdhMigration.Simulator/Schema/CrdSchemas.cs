using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// The <c>openAPIV3Schema</c> of every CustomResourceDefinition the simulator serves, by group, version and kind.
/// Each version's schema is compiled on first use and kept: one compilation per kind for the life of the set, which
/// can be shared by any number of simulators (tests load the large KServe CRDs once). A kind without a CRD here, or
/// whose CRD version has no schema, stays schemaless: nothing is pruned, defaulted or validated.
/// </summary>
public sealed class CrdSchemas
{
    private readonly Dictionary<string, JsonObject> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StructuralSchema?> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<JsonObject>> _printerColumns = new(StringComparer.Ordinal);

    public CrdSchemas(IEnumerable<JsonObject> customResourceDefinitions)
    {
        ArgumentNullException.ThrowIfNull(customResourceDefinitions);
        foreach (var crd in customResourceDefinitions)
        {
            var group = crd.At("spec", "group")?.ToString() ?? string.Empty;
            var kind = crd.At("spec", "names", "kind")?.ToString() ?? string.Empty;
            foreach (var version in (crd.At("spec", "versions") as JsonArray ?? []).OfType<JsonObject>())
            {
                if (version["name"]?.ToString() is { } versionName)
                {
                    _printerColumns[Key(group, versionName, kind)] = (version["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                }

                if (version.At("schema", "openAPIV3Schema") is JsonObject schema && version["name"]?.ToString() is { } name)
                {
                    _sources[Key(group, name, kind)] = schema;
                }
            }
        }
    }

    public static CrdSchemas Empty { get; } = new([]);

    /// <summary>How many kind versions carry a schema.</summary>
    public int Count => _sources.Count;

    /// <summary>Reads every CustomResourceDefinition in a file or folder (YAML or JSON, lists included); other objects are ignored.</summary>
    public static CrdSchemas Load(params string[] paths)
    {
        var crds = new List<JsonObject>();
        foreach (var path in paths)
        {
            foreach (var document in SnapshotLoader.ReadDocuments(path))
            {
                Collect(document.Root, crds);
            }
        }

        return new CrdSchemas(crds);
    }

    /// <summary>Passes documents through unchanged, adding the CustomResourceDefinitions among them to <paramref name="crds"/>.</summary>
    public static IEnumerable<YamlDocument> Collecting(IEnumerable<YamlDocument> documents, List<JsonObject> crds)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var document in documents)
        {
            Collect(document.Root, crds);
            yield return document;
        }
    }

    /// <summary>The compiled schema of a kind's version, or null when the kind is schemaless.</summary>
    public StructuralSchema? For(ResourceKind kind) =>
        _compiled.GetOrAdd(Key(kind.Group, kind.Version, kind.Kind), key => _sources.TryGetValue(key, out var source) ? StructuralSchema.Compile(source) : null);

    /// <summary>The kind version's uncompiled <c>openAPIV3Schema</c> (for the OpenAPI documents), or null when schemaless.</summary>
    public JsonObject? Source(ResourceKind kind) => _sources.GetValueOrDefault(Key(kind.Group, kind.Version, kind.Kind));

    /// <summary>
    /// The kind version's <c>additionalPrinterColumns</c> (possibly empty) when a CRD defines the kind, null when no CRD
    /// does (the kind then prints as a built-in).
    /// </summary>
    public IReadOnlyList<JsonObject>? PrinterColumns(ResourceKind kind) => _printerColumns.GetValueOrDefault(Key(kind.Group, kind.Version, kind.Kind));

    private static void Collect(JsonNode? node, List<JsonObject> crds)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        if (obj.Kind() == "CustomResourceDefinition")
        {
            crds.Add(obj);
        }
        else if (obj["items"] is JsonArray items && obj.Kind()?.EndsWith("List", StringComparison.Ordinal) == true)
        {
            foreach (var item in items)
            {
                Collect(item, crds);
            }
        }
    }

    private static string Key(string group, string version, string kind) => $"{group}/{version}/{kind}";
}
