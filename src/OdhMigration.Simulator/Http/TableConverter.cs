using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Http.Tables;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>), which <c>kubectl get</c> asks
/// for: a meta.k8s.io/v1 Table with the kind's columns — the CRD's <c>additionalPrinterColumns</c> for custom
/// resources (<see cref="CrdTableColumns"/>), the API server's printers for built-ins (<see cref="BuiltinPrinters"/>).
/// Row objects follow <c>includeObject</c> as the API server's asTable does (staging/src/k8s.io/apiserver/pkg/
/// endpoints/handlers/response.go): PartialObjectMetadata by default (Metadata), the object (Object) or none (None).
/// </summary>
public sealed class TableConverter(CrdSchemas crds)
{
    private readonly ConcurrentDictionary<ResourceKind, IReadOnlyList<TableColumn>> _columns = new();

    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    /// <summary>The includeObject query parameter; anything but None/Metadata/Object is 400 as on the API server.</summary>
    public static string IncludeObject(string? value) => value switch
    {
        null or "" or "Metadata" => "Metadata",
        "Object" or "None" => value,
        _ => throw ApiException.BadRequest($"unrecognized includeObject value: \"{value}\""),
    };

    public IReadOnlyList<TableColumn> ColumnsFor(ResourceKind kind) =>
        _columns.GetOrAdd(kind, k => KindRegistry.IsCustomResource(k)
            ? CrdTableColumns.From(crds.PrinterColumns(k) ?? []) // no CRD loaded (schemaless): a CRD's default columns
            : BuiltinPrinters.For(k));

    /// <summary>A Table of <paramref name="items"/>; <paramref name="headers"/> false leaves out columnDefinitions (later watch events).</summary>
    public JsonObject Build(ResourceKind kind, IEnumerable<JsonObject> items, JsonObject listMetadata, DateTimeOffset now, string includeObject, bool headers = true)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(items);
        var columns = ColumnsFor(kind);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray();
            foreach (var column in columns)
            {
                cells.Add(column.Cell(item, now));
            }

            rows.Add((JsonNode)new JsonObject
            {
                ["cells"] = cells,
                ["object"] = RowObject(item, includeObject),
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
            ["columnDefinitions"] = headers ? new JsonArray([.. columns.Select(c => (JsonNode)c.Definition())]) : null,
            ["rows"] = rows,
        };
    }

    private static JsonObject? RowObject(JsonObject item, string includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => (JsonObject)item.DeepClone(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = item["metadata"]?.DeepClone(),
        },
    };
}
