using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Workspace;

/// <summary>Reads and writes the versioned JSON documents; writes are atomic (temp file, then rename).</summary>
public static class WorkspaceDocuments
{
    /// <summary>
    /// Writes the document and returns the sha256 of the bytes written. Serialised straight into the temporary
    /// file: a 10,000-ISVC inventory is tens of megabytes, which must not sit in memory (or in the shared array
    /// pool, which keeps large buffers alive) just to be written once.
    /// </summary>
    public static async Task<string> WriteAsync<T>(string path, T document, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Environment.ProcessId;
        string sha;
        var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var hashing = new HashingWriteStream(file);
            await using (hashing.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(hashing, document, typeInfo, cancellationToken).ConfigureAwait(false);
                sha = hashing.Sha256Hex();
            }
        }

        File.Move(temp, path, overwrite: true);
        return sha;
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
        string? kind;
        int version;
        try
        {
            (kind, version) = ReadHeader(bytes);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{layout.Relative(path)}: not valid JSON ({ex.Message})", ex);
        }

        if (kind != expectedKind)
        {
            throw new UsageException($"{layout.Relative(path)}: field 'kind' is '{kind}', expected '{expectedKind}'");
        }

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

    /// <summary>
    /// The top-level kind and schemaVersion, read in one forward pass that also checks the whole text is JSON,
    /// without building a document tree of a file that may be tens of megabytes.
    /// </summary>
    private static (string? Kind, int SchemaVersion) ReadHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            while (reader.Read())
            {
            }

            return (null, 0);
        }

        string? kind = null;
        var version = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKind = reader.ValueTextEquals("kind"u8);
            var isVersion = reader.ValueTextEquals("schemaVersion"u8);
            reader.Read();
            if (isKind)
            {
                kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (isVersion)
            {
                version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : 0;
            }

            reader.Skip();
        }

        while (reader.Read())
        {
            // Anything after the top-level object is an error the reader reports.
        }

        return (kind, version);
    }

    public static Task<(Inventory Document, ConsumedDocument Consumed)> ReadInventoryAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Inventory, Inventory.DocumentKind, Inventory.CurrentSchemaVersion, InventoryJsonContext.Default.Inventory, cancellationToken);

    public static Task<(ExportReport Document, ConsumedDocument Consumed)> ReadExportAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Export, ExportReport.DocumentKind, ExportReport.CurrentSchemaVersion, ExportReportJsonContext.Default.ExportReport, cancellationToken);

    public static Task<(CapacityReport Document, ConsumedDocument Consumed)> ReadCapacityAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default) =>
        ReadAsync(layout, layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, cancellationToken);

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
