using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Patching.Ownership;

/// <summary>
/// Field paths as structured-merge-diff writes them in FieldsV1 (fieldpath/serialize-pe.go): each element is
/// <c>f:&lt;field&gt;</c>, <c>k:&lt;key fields as JSON&gt;</c> (associative list item), <c>v:&lt;value as JSON&gt;</c>
/// (set item) or <c>i:&lt;index&gt;</c>. A path is its elements joined by <see cref="Separator"/>, a character JSON
/// never leaves unescaped, so sets of paths are plain string sets.
/// </summary>
internal static class FieldPaths
{
    public const char Separator = '\u0001';

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Join(string prefix, string element) => prefix.Length == 0 ? element : prefix + Separator + element;

    public static string Field(string name) => "f:" + name;

    public static string Value(JsonNode? value) => "v:" + Json(value);

    public static string Index(int index) => "i:" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The key element of an associative list item: its key fields, sorted by name, as JSON.</summary>
    public static string Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var key = new JsonObject();
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            key[name] = value?.DeepClone();
        }

        return "k:" + Json(key);
    }

    public static string Json(JsonNode? value) => value is null ? "null" : value.ToJsonString(Compact);

    public static string[] Elements(string path) => path.Length == 0 ? [] : path.Split(Separator);

    /// <summary>A path as fieldpath.Path.String() prints it: <c>.spec.containers[name="c"].image</c>, <c>[="x"]</c>, <c>[0]</c>.</summary>
    public static string Describe(string path)
    {
        var text = new StringBuilder();
        foreach (var element in Elements(path))
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var fields = JsonNode.Parse(body) as JsonObject ?? [];
                    text.Append('[').Append(string.Join(",", fields.Select(f => f.Key + "=" + GoValue(f.Value)))).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(GoValue(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The order fieldpath.Set.Iterate visits paths: at each level the members (paths ending there) before the
    /// children, and elements as PathElement.Compare orders them (fields, then keys, then values, then indexes).
    /// </summary>
    public static int CompareIterationOrder(string left, string right)
    {
        var l = Elements(left);
        var r = Elements(right);
        var i = 0;
        while (i < l.Length && i < r.Length && l[i] == r[i])
        {
            i++;
        }

        if (i == l.Length || i == r.Length)
        {
            return l.Length.CompareTo(r.Length);
        }

        var lMember = l.Length == i + 1;
        var rMember = r.Length == i + 1;
        if (lMember != rMember)
        {
            return lMember ? -1 : 1;
        }

        var byType = Rank(l[i][0]).CompareTo(Rank(r[i][0]));
        return byType != 0 ? byType : string.CompareOrdinal(l[i], r[i]);
    }

    private static int Rank(char type) => type switch { 'f' => 0, 'k' => 1, 'v' => 2, _ => 3 };

    /// <summary>value.ToString: strings quoted as Go's %q, other values as JSON.</summary>
    private static string GoValue(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? Schema.FieldError.Quote(v.GetValue<string>()) : Json(value);
}
