using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;

namespace OdhMigration.Simulator.Patching.Ownership;

/// <summary>How structured-merge-diff treats a list: replaced whole, a set of scalars, or items keyed by fields.</summary>
internal enum ListKind
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// The type of one node of an object, as far as field ownership needs it (sigs.k8s.io/structured-merge-diff
/// schema/elements.go): the type of each field and list item, how lists relate their items
/// (<c>x-kubernetes-list-type</c>, <c>x-kubernetes-list-map-keys</c>) and whether a map is atomic.
/// </summary>
internal abstract class FieldType
{
    public abstract FieldType Field(string name);

    public abstract FieldType Items { get; }

    public abstract ListKind List { get; }

    /// <summary>Whether a map (or struct) is owned as one value (<c>x-kubernetes-map-type: atomic</c>).</summary>
    public virtual bool AtomicMap => false;

    /// <summary>The key fields of an associative list and their defaults; <paramref name="list"/> lets built-in types pick by shape.</summary>
    public virtual IReadOnlyList<(string Name, JsonNode? Default)> Keys(JsonArray list) => [];
}

/// <summary>
/// No type information (schemaless kinds, fields under <c>x-kubernetes-preserve-unknown-fields</c>): the deduced
/// type, whose maps are granular and whose lists are atomic (structured-merge-diff schema.DeducedTypeRef).
/// </summary>
internal sealed class DeducedType : FieldType
{
    public static readonly DeducedType Instance = new();

    public override FieldType Field(string name) => this;

    public override FieldType Items => this;

    public override ListKind List => ListKind.Atomic;
}

/// <summary>A node of a CRD's structural schema; lists without <c>x-kubernetes-list-type</c> are atomic, as in a CRD.</summary>
internal sealed class SchemaType(StructuralSchema schema) : FieldType
{
    public override FieldType Field(string name) =>
        schema.Properties?.GetValueOrDefault(name) is { } property ? new SchemaType(property)
        : schema.AdditionalProperties is { } values ? new SchemaType(values)
        : DeducedType.Instance;

    public override FieldType Items => schema.Items is { } items ? new SchemaType(items) : DeducedType.Instance;

    public override ListKind List => schema.ListType switch
    {
        "set" => ListKind.Set,
        "map" => ListKind.Map,
        _ => ListKind.Atomic,
    };

    public override bool AtomicMap => schema.MapType == "atomic";

    public override IReadOnlyList<(string Name, JsonNode? Default)> Keys(JsonArray list) =>
        schema.ListMapKeys.Select(k => (k, schema.Items?.Properties?.GetValueOrDefault(k)?.Default)).ToList();
}

/// <summary>
/// Built-in kinds have no schema here: their lists are keyed as the Kubernetes types declare them
/// (<c>+listType=map</c>/<c>+listMapKey</c>, or a patch merge key, which the OpenAPI conversion turns into a map key:
/// k8s.io/api core/v1 types.go), chosen by field name; ports key on containerPort or port plus protocol (default TCP).
/// </summary>
internal sealed class BuiltinType(string? name) : FieldType
{
    private static readonly (string, JsonNode?)[] ByName = [("name", null)];
    private static readonly JsonNode Tcp = JsonValue.Create("TCP");


    public override FieldType Field(string name) => new BuiltinType(name);

    public override FieldType Items => new BuiltinType(null);

    public override ListKind List => name is null ? ListKind.Atomic
        : BuiltinListKeys.MergeKeys.ContainsKey(name) ? ListKind.Map
        : BuiltinListKeys.MergedPrimitiveLists.Contains(name) ? ListKind.Set
        : ListKind.Atomic;

    public override IReadOnlyList<(string Name, JsonNode? Default)> Keys(JsonArray list)
    {
        if (name == "ports")
        {
            var container = list.OfType<JsonObject>().Any(p => p.ContainsKey("containerPort"));
            return [(container ? "containerPort" : "port", null), ("protocol", Tcp)];
        }

        return name is not null && BuiltinListKeys.MergeKeys.TryGetValue(name, out var key) ? (key == "name" ? ByName : [(key, null)]) : [];
    }
}

/// <summary>ObjectMeta, the same for every kind: labels and annotations are granular maps, finalizers a set, ownerReferences keyed by uid.</summary>
internal sealed class ObjectMetaType : FieldType
{
    public static readonly ObjectMetaType Instance = new();

    public override FieldType Field(string name) => name is "finalizers" or "ownerReferences" ? new BuiltinType(name) : DeducedType.Instance;

    public override FieldType Items => DeducedType.Instance;

    public override ListKind List => ListKind.Atomic;
}

/// <summary>The top of an object: metadata as ObjectMeta, the rest from the kind's schema or the built-in rules.</summary>
internal sealed class RootType(FieldType body) : FieldType
{
    public override FieldType Field(string name) => name == "metadata" ? ObjectMetaType.Instance : body.Field(name);

    public override FieldType Items => body.Items;

    public override ListKind List => ListKind.Atomic;
}

/// <summary>The root type of every kind, built once per kind (the schema is compiled once per kind by <see cref="CrdSchemas"/>).</summary>
public sealed class FieldTypes(CrdSchemas schemas)
{
    private readonly ConcurrentDictionary<string, FieldType> _roots = new(StringComparer.Ordinal);

    public static FieldTypes Schemaless { get; } = new(CrdSchemas.Empty);

    internal FieldType Root(ResourceKind kind) =>
        _roots.GetOrAdd($"{kind.Group}/{kind.Version}/{kind.Kind}", _ => new RootType(schemas.For(kind) is { } schema ? new SchemaType(schema)
            : Store.KindRegistry.IsCustomResource(kind) ? DeducedType.Instance : new BuiltinType(null)));
}
