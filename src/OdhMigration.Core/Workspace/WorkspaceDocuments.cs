using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>Reads and writes the versioned JSON documents; writes are atomic (temp file, then rename).</summary>
public static class WorkspaceDocuments
{
    /// <summary>Writes the document and returns the sha256 of the bytes written.</summary>
    public static async Task<string> WriteAsync<T>(string path, T document, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, typeInfo);
        await WriteAtomicAsync(path, bytes, null, cancellationToken).ConfigureAwait(false);
        return Hashing.Sha256Hex(bytes);
    }

    /// <summary>
    /// Reads a document, checking its kind and schema version first, so a newer or foreign file is refused
    /// with a message naming it instead of being half-understood. Returns the document and its sha256.
    /// </summary>
    public static async Task<(T Document, ConsumedDocument Consumed)> ReadAsync<T>(WorkspaceLayout layout, string path, string expectedKind, int supportedVersion, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
        where T : IWorkspaceDocument
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{layout.Relative(path)} not found in workspace {layout.Root}; run the stage that writes it first");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{layout.Relative(path)}: not valid JSON ({ex.Message})", ex);
        }

        var kind = node?["kind"]?.GetValueKind() == JsonValueKind.String ? node["kind"]!.GetValue<string>() : null;
        if (kind != expectedKind)
        {
            throw new UsageException($"{layout.Relative(path)}: field 'kind' is '{kind}', expected '{expectedKind}'");
        }

        var version = node?["schemaVersion"]?.GetValueKind() == JsonValueKind.Number ? node["schemaVersion"]!.GetValue<int>() : 0;
        if (version < 1 || version > supportedVersion)
        {
            throw new UsageException($"{layout.Relative(path)}: field 'schemaVersion' is {version}; this tool reads versions 1..{supportedVersion}");
        }

        T? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{layout.Relative(path)}: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new UsageException($"{layout.Relative(path)}: empty document");
        }

        return (document, new ConsumedDocument(layout.Relative(path), Hashing.Sha256Hex(bytes)));
    }

    public static Task<(Inventory Document, ConsumedDocument Consumed)> ReadInventoryAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Inventory, Inventory.DocumentKind, Inventory.CurrentSchemaVersion, InventoryJsonContext.Default.Inventory, cancellationToken);

    public static Task<(ExportReport Document, ConsumedDocument Consumed)> ReadExportAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Export, ExportReport.DocumentKind, ExportReport.CurrentSchemaVersion, ExportReportJsonContext.Default.ExportReport, cancellationToken);

    public static Task<(Plan Document, ConsumedDocument Consumed)> ReadPlanAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Plan, Plan.DocumentKind, Plan.CurrentSchemaVersion, PlanJsonContext.Default.Plan, cancellationToken);

    public static async Task WriteAtomicAsync(string path, byte[] bytes, UnixFileMode? mode = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Environment.ProcessId;
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, m);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static Task WriteTextAtomicAsync(string path, string text, UnixFileMode? mode = null, CancellationToken cancellationToken = default) =>
        WriteAtomicAsync(path, System.Text.Encoding.UTF8.GetBytes(text), mode, cancellationToken);
}
