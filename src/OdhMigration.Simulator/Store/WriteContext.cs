namespace OdhMigration.Simulator.Store;

/// <summary>How a write arrived: who manages the fields, whether it is a dry run, and which subresource it targets.</summary>
public sealed record WriteContext(
    bool DryRun = false,
    string? FieldManager = null,
    string? Subresource = null,
    string Operation = "Update",
    bool Force = false)
{
    public static WriteContext Internal(string manager, string? subresource = null) => new(FieldManager: manager, Subresource: subresource);

    public bool IsStatus => Subresource == "status";
}

/// <summary>What a DELETE asks for (query parameters or a DeleteOptions body).</summary>
public sealed record DeleteRequest(
    bool DryRun = false,
    string PropagationPolicy = "Background",
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null);

/// <summary>The object after a delete call, and whether it is gone (false: finalizers keep it, with a deletionTimestamp).</summary>
public sealed record DeleteResult(System.Text.Json.Nodes.JsonObject Object, bool Removed);

/// <summary>A check run on every create/update before it is stored (the simulator's admission webhooks).</summary>
public interface IAdmissionCheck
{
    /// <summary>Throws <see cref="ApiException"/> to refuse. <paramref name="previous"/> is null on create.</summary>
    void Admit(OdhMigration.Core.Manifests.ResourceKind kind, System.Text.Json.Nodes.JsonObject? previous, System.Text.Json.Nodes.JsonObject candidate, WriteContext context);
}
