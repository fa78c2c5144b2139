using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Http.Tables;

/// <summary>
/// Columns of a custom resource as k8s.io/apiextensions-apiserver pkg/registry/customresource/tableconvertor
/// (tableconvertor.go) builds them: Name first, then each <c>additionalPrinterColumns</c> entry (description defaults
/// to "Custom resource definition column (in JSONPath format): &lt;path&gt;"); a CRD version without columns gets
/// the default Age column (<c>.metadata.creationTimestamp</c>, type date; apiserver.go serveDefaultColumnsIfEmpty).
/// Cells: the first JSONPath match; string columns print it as jsonpath prints (objects and lists as JSON),
/// integer/number/boolean/date take typed values (cellForJSONValue), anything else is null.
/// </summary>
public static class CrdTableColumns
{
    public static IReadOnlyList<TableColumn> From(IReadOnlyList<JsonObject> printerColumns)
    {
        ArgumentNullException.ThrowIfNull(printerColumns);
        var definitions = printerColumns.Count > 0
            ? printerColumns
            : [new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp", ["description"] = TableColumn.CreationTimestampDescription }];
        var columns = new List<TableColumn> { TableColumn.NameColumn };
        foreach (var definition in definitions)
        {
            var jsonPath = definition["jsonPath"]?.ToString() ?? string.Empty;
            var path = SimpleJsonPath.Parse(jsonPath);
            var type = definition["type"]?.ToString() ?? "string";
            var description = definition["description"]?.ToString() is { Length: > 0 } d ? d : $"Custom resource definition column (in JSONPath format): {jsonPath}";
            var priority = definition["priority"] is JsonValue p && p.TryGetValue<long>(out var pr) ? (int)pr : 0;
            columns.Add(new TableColumn(
                definition["name"]?.ToString() ?? string.Empty,
                type,
                definition["format"]?.ToString() ?? string.Empty,
                description,
                priority,
                (obj, now) => path.Evaluate(obj) is { Count: > 0 } found ? Cell(type, found[0], now) : null));
        }

        return columns;
    }

    private static JsonNode? Cell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        return type switch
        {
            "string" => kind switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Object or JsonValueKind.Array => value.ToJsonString(),
                _ => value.ToJsonString(),
            },
            "integer" when kind == JsonValueKind.Number => Number(value) is var n ? JsonValue.Create((long)Math.Truncate(n)) : null,
            "number" when kind == JsonValueKind.Number => JsonValue.Create(Number(value)),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => JsonValue.Create(kind == JsonValueKind.True),
            "date" when kind == JsonValueKind.String => DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                ? HumanDuration.Since(value.GetValue<string>(), now)
                : "<invalid>",
            _ => null,
        };
    }

    private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
