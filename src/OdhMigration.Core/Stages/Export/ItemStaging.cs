using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// Writes one ISVC's export into a hidden staging folder and moves it into place only when every file is written,
/// so an interrupted or failed export never leaves an original/ folder that looks complete but is not.
/// </summary>
public sealed class ItemStaging : IDisposable
{
    public const string OriginalDir = WorkspaceLayout.OriginalDir;
    public const string ReferencesDir = "references";
    public const string OwnerReferencesFile = "original-owner-references.json";
    private const string StagingPrefix = ".export-partial-";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly WorkspaceLayout _layout;
    private readonly string _finalDir;
    private readonly string _staging;
    private readonly JsonObject _owners = new();
    private bool _committed;

    public ItemStaging(WorkspaceLayout layout, string ns, string name)
    {
        _layout = layout;
        _finalDir = layout.IsvcDir(ns, name);
        Directory.CreateDirectory(_finalDir);
        foreach (var stale in Directory.EnumerateDirectories(_finalDir, StagingPrefix + "*"))
        {
            Directory.Delete(layout.Contained(stale), recursive: true); // left by an interrupted run
        }

        _staging = layout.Contained(Path.Combine(_finalDir, StagingPrefix + Environment.ProcessId));
        Directory.CreateDirectory(_staging);
    }

    public List<ExportedFile> Files { get; } = [];

    /// <summary>Saves a cleaned copy into original/ or references/, recording its final path and sha256.</summary>
    public Task SaveAsync(JsonObject obj, string folder, string role, bool secretData, CancellationToken ct)
    {
        var (copy, owners) = BackupCopy.Make(obj);
        return SaveCopyAsync(new PendingCopy(copy, owners, folder, role, secretData), ct);
    }

    /// <summary>Saves a copy <see cref="BackupCopy.Make"/> already cleaned.</summary>
    public async Task SaveCopyAsync(PendingCopy pending, CancellationToken ct)
    {
        var (copy, owners, folder, role, secretData) = pending;
        var fileName = ManifestFileNames.For(copy.Kind()!, copy.Name(), role == ExportRoles.TokenSecret);
        var text = Yaml.Serialize(copy);
        var staged = _layout.ObjectFile(Path.Combine(_staging, folder), copy.Kind()!, copy.Name(), copy.Namespace(), fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        await WriteAsync(staged, text, secretData && copy.Kind() == "Secret", ct).ConfigureAwait(false);

        var final = _layout.Relative(Path.Combine(_finalDir, folder, fileName));
        if (owners is not null)
        {
            _owners[final] = owners;
        }

        Files.Add(new ExportedFile(final, Hashing.Sha256Hex(text), role, copy.Kind()!, copy.Name(), copy.Namespace()));
    }

    /// <summary>Moves the staged folders over the previous export (kept aside until the move succeeded). Returns the owner-references file.</summary>
    public async Task<string> CommitAsync(CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(_staging, OwnerReferencesFile), _owners.ToJsonString(Indented), ct).ConfigureAwait(false);
        foreach (var entry in new[] { OriginalDir, ReferencesDir, OwnerReferencesFile })
        {
            var target = _layout.Contained(Path.Combine(_finalDir, entry));
            var old = target + ".replaced-" + Environment.ProcessId;
            Move(target, old);
            Move(Path.Combine(_staging, entry), target);
            Delete(old);
        }

        Directory.Delete(_staging, recursive: true);
        _committed = true;
        return _layout.Relative(Path.Combine(_finalDir, OwnerReferencesFile));
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    /// <summary>Secret data is created 0600 from the first byte, never widened afterwards.</summary>
    private static async Task WriteAsync(string path, string text, bool secret, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        }
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
        else if (File.Exists(from))
        {
            File.Move(from, to);
        }
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

/// <summary>A cleaned copy waiting to be written, with where it goes and the ownerReferences it had.</summary>
public sealed record PendingCopy(JsonObject Copy, JsonArray? Owners, string Folder, string Role, bool SecretData)
{
    public static PendingCopy Of(JsonObject obj, string folder, string role, bool secretData)
    {
        var (copy, owners) = BackupCopy.Make(obj);
        return new PendingCopy(copy, owners, folder, role, secretData);
    }
}
