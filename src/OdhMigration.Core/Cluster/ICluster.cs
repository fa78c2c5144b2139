using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

public enum PatchKind { Merge, Json, Apply }

public sealed record WriteOptions(bool DryRun = false, string FieldManager = "odh-migration", bool Force = true);

public sealed record DeleteOptions(bool DryRun = false, string PropagationPolicy = "Background", string? PreconditionUid = null);

public sealed record WatchEvent(string Type, JsonObject Object);

/// <summary>Full read-write access to a live cluster. Only apply, cleanup and dsc-finalize need it.</summary>
public interface ICluster : IClusterReader
{
    Task<JsonObject> CreateAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default);

    /// <summary>Server-side apply with the given field manager.</summary>
    Task<JsonObject> ApplyAsync(JsonObject obj, WriteOptions options, CancellationToken cancellationToken = default);

    Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchKind patchKind, string body, WriteOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; returns false when it was already gone.</summary>
    Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default);

    IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string? fieldSelector, string? resourceVersion, CancellationToken cancellationToken = default);

    /// <summary>SelfSubjectAccessReview: may the current identity do verb on kind in ns?</summary>
    Task<bool> CanIAsync(string verb, ResourceKind kind, string? ns, CancellationToken cancellationToken = default);
}
