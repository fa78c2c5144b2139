using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>), which <c>kubectl get</c> asks for.
/// Columns are Name and Age, plus URL/Ready for InferenceServices; rows carry PartialObjectMetadata so kubectl can
/// print namespaces with -A.
/// </summary>
public static class TableConverter
{
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    public static JsonObject Build(ResourceKind kind, IEnumerable<JsonObject> items, JsonObject listMetadata, DateTimeOffset now)
    {
        var isvc = kind.Plural == "inferenceservices";
        var columns = new JsonArray((JsonNode)Column("Name", "string", "name"));
        if (isvc)
        {
            columns.Add((JsonNode)Column("URL", "string", string.Empty));
            columns.Add((JsonNode)Column("Ready", "string", string.Empty));
        }

        columns.Add((JsonNode)Column("Age", "date", string.Empty));
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray((JsonNode)item.Name());
            if (isvc)
            {
                cells.Add((JsonNode)(item.At("status", "url")?.ToString() ?? string.Empty));
                var ready = (item.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");
                cells.Add((JsonNode)(ready?.Str("status") ?? string.Empty));
            }

            cells.Add((JsonNode)Age(item.At("metadata", "creationTimestamp")?.ToString(), now));
            rows.Add((JsonNode)new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string format) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = name,
        ["priority"] = 0,
    };

    /// <summary>kubectl's short duration format (translateTimestampSince).</summary>
    private static string Age(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = now - created;
        return age.TotalSeconds switch
        {
            < 0 => "0s",
            < 120 => $"{(int)age.TotalSeconds}s",
            < 600 => $"{(int)age.TotalMinutes}m{age.Seconds}s",
            < 3 * 3600 => $"{(int)age.TotalMinutes}m",
            < 48 * 3600 => $"{(int)age.TotalHours}h",
            _ => $"{(int)age.TotalDays}d",
        };
    }
}
