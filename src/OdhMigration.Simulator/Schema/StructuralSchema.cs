using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// One node of a CRD's structural <c>openAPIV3Schema</c>, compiled once per kind so pruning, defaulting and
/// validation never re-read the CRD: the keywords the API server acts on (k8s.io/apiextensions-apiserver
/// pkg/apiserver/schema: structural.go), nothing else. <c>anyOf</c>/<c>allOf</c>/<c>oneOf</c>/<c>not</c> only carry
/// value validations in a structural schema (<see cref="SchemaComposites"/>); <c>x-kubernetes-validations</c> (CEL)
/// rules are compiled once here and evaluated by <see cref="CelRules"/>.
/// </summary>
public sealed class StructuralSchema
{
    private static readonly StringComparer Ordinal = StringComparer.Ordinal;
    private Regex? _pattern;
    private bool _patternCompiled;

    public string? Type { get; private init; }

    public IReadOnlyDictionary<string, StructuralSchema>? Properties { get; private init; }

    /// <summary>The schema of every value of a map (<c>additionalProperties</c> with a schema).</summary>
    public StructuralSchema? AdditionalProperties { get; private init; }

    /// <summary><c>additionalProperties: true</c>: any key, values kept as they are.</summary>
    public bool AdditionalPropertiesAllowed { get; private init; }

    public StructuralSchema? Items { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public string? Format { get; private init; }

    public JsonNode? Default { get; private init; }

    public bool Nullable { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool IntOrString { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public string? ListType { get; private init; }

    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];

    public string? MapType { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public string? PatternText { get; private init; }

    public IReadOnlyList<StructuralSchema> AnyOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> OneOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> AllOf { get; private init; } = [];

    public StructuralSchema? Not { get; private init; }

    /// <summary>This node's <c>x-kubernetes-validations</c> (see <see cref="CelRules"/>).</summary>
    public IReadOnlyList<CelRule> Rules { get; private init; } = [];

    /// <summary>Whether this node or any node under it carries CEL rules (lets the CEL step skip rule-free kinds and subtrees).</summary>
    public bool HasRulesBelow { get; private init; }

    /// <summary>Whether this node carries <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>/<c>not</c> value validations.</summary>
    public bool HasComposites => AnyOf.Count > 0 || OneOf.Count > 0 || AllOf.Count > 0 || Not is not null;

    /// <summary>The compiled <c>pattern</c> (RE2 in the API server; the patterns CRDs use mean the same in .NET), compiled on first use.</summary>
    public Regex? Pattern
    {
        get
        {
            if (!_patternCompiled)
            {
                try
                {
                    _pattern = PatternText is null ? null : new Regex(PatternText, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException)
                {
                    _pattern = null; // a pattern .NET cannot read is not enforced rather than refusing every object
                }

                _patternCompiled = true;
            }

            return _pattern;
        }
    }

    /// <summary>Whether a field of this schema keeps keys it does not declare.</summary>
    public bool KeepsUnknownFields => PreserveUnknownFields || AdditionalPropertiesAllowed;

    public static StructuralSchema Compile(JsonObject node)
    {
        var properties = node["properties"] is JsonObject props
            ? props.Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => Compile((JsonObject)p.Value!), Ordinal)
            : null;
        var additional = node["additionalProperties"];
        var additionalSchema = additional is JsonObject a ? Compile(a) : null;
        var itemSchema = node["items"] is JsonObject items ? Compile(items) : null;
        var rules = CelRule.Compile(node);
        var allOf = Branches(node, "allOf");
        return new StructuralSchema
        {
            Rules = rules,
            HasRulesBelow = rules.Count > 0 || (properties?.Values.Any(p => p.HasRulesBelow) ?? false) || additionalSchema?.HasRulesBelow == true || itemSchema?.HasRulesBelow == true
                || allOf.Any(b => b.HasRulesBelow),
            Type = node["type"]?.GetValue<string>(),
            Properties = properties,
            AdditionalProperties = additionalSchema,
            AdditionalPropertiesAllowed = additional is JsonValue v && v.GetValueKind() == JsonValueKind.True,
            Items = itemSchema,
            Required = node["required"] is JsonArray required ? required.Select(r => r!.GetValue<string>()).ToList() : [],
            Enum = node["enum"] is JsonArray e ? e.Select(x => x?.DeepClone()).ToList() : null,
            Format = node["format"]?.GetValue<string>(),
            Default = node["default"]?.DeepClone(),
            Nullable = Flag(node, "nullable"),
            PreserveUnknownFields = Flag(node, "x-kubernetes-preserve-unknown-fields"),
            IntOrString = Flag(node, "x-kubernetes-int-or-string"),
            EmbeddedResource = Flag(node, "x-kubernetes-embedded-resource"),
            ListType = node["x-kubernetes-list-type"]?.GetValue<string>(),
            ListMapKeys = node["x-kubernetes-list-map-keys"] is JsonArray keys ? keys.Select(k => k!.GetValue<string>()).ToList() : [],
            MapType = node["x-kubernetes-map-type"]?.GetValue<string>(),
            Minimum = Number(node, "minimum"),
            Maximum = Number(node, "maximum"),
            ExclusiveMinimum = Flag(node, "exclusiveMinimum"),
            ExclusiveMaximum = Flag(node, "exclusiveMaximum"),
            MinLength = (long?)Number(node, "minLength"),
            MaxLength = (long?)Number(node, "maxLength"),
            MinItems = (long?)Number(node, "minItems"),
            MaxItems = (long?)Number(node, "maxItems"),
            PatternText = node["pattern"]?.GetValue<string>(),
            AnyOf = Branches(node, "anyOf"),
            OneOf = Branches(node, "oneOf"),
            AllOf = allOf,
            Not = node["not"] is JsonObject not ? Compile(not) : null,
        };
    }

    private static List<StructuralSchema> Branches(JsonObject node, string name) =>
        node[name] is JsonArray branches ? branches.OfType<JsonObject>().Select(Compile).ToList() : [];

    private static bool Flag(JsonObject node, string name) => node[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static double? Number(JsonObject node, string name) =>
        node[name] is JsonValue v && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}
