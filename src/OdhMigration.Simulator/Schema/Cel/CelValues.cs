using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>A CEL evaluation error (cel-go <c>types.Err</c>): the text the API server prints before "evaluating rule".</summary>
public sealed record CelError(string Message)
{
    public static CelError NoSuchOverload { get; } = new("no such overload");

    public static CelError NoSuchKey(string key) => new($"no such key: {key}");
}

/// <summary>CEL's <c>null</c>.</summary>
public sealed class CelNull
{
    public static CelNull Instance { get; } = new();

    private CelNull()
    {
    }
}

/// <summary>
/// A CEL list: the items of a JSON array typed by the schema's <c>items</c> (as the API server's UnstructuredToVal
/// does), or the values of a list literal. <c>x-kubernetes-list-type</c> set and map lists compare without order.
/// </summary>
public sealed class CelList
{
    private readonly JsonArray? _array;
    private readonly IReadOnlyList<object>? _values;

    public CelList(JsonArray array, StructuralSchema? schema)
    {
        _array = array;
        Schema = schema;
    }

    public CelList(IReadOnlyList<object> values) => _values = values;

    public StructuralSchema? Schema { get; }

    public int Count => _array?.Count ?? _values!.Count;

    public object this[int index] => _array is not null ? CelValues.From(_array[index], Schema?.Items) : _values![index];

    public bool Unordered => Schema?.ListType is "set" or "map";
}

/// <summary>A CEL map or object: a JSON object whose values are typed by the schema's properties or <c>additionalProperties</c>.</summary>
public sealed class CelMap(JsonObject obj, StructuralSchema? schema)
{
    public JsonObject Object => obj;

    public int Count => obj.Count;

    public IEnumerable<string> Keys => obj.Select(p => p.Key);

    public bool Has(string key) => obj.ContainsKey(key);

    public object? Get(string key) => obj.TryGetPropertyValue(key, out var value) ? CelValues.From(value, Child(key)) : null;

    private StructuralSchema? Child(string key) =>
        schema?.Properties is { } properties && properties.TryGetValue(key, out var declared) ? declared : schema?.AdditionalProperties;
}

/// <summary>JSON to CEL values: bool, long (int), ulong (uint), double, string, <see cref="CelNull"/>, <see cref="CelList"/>, <see cref="CelMap"/>.</summary>
public static class CelValues
{
    /// <summary>A JSON value as CEL sees it: integers for <c>type: integer</c>, doubles for <c>type: number</c>, else by the literal.</summary>
    public static object From(JsonNode? node, StructuralSchema? schema)
    {
        switch (node)
        {
            case null:
                return CelNull.Instance;
            case JsonObject obj:
                return new CelMap(obj, schema);
            case JsonArray array:
                return new CelList(array, schema);
        }

        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var text = value.ToJsonString();
                if (schema?.Type != "number" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return CelNull.Instance;
        }
    }
}
