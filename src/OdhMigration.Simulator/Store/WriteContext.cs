namespace OdhMigration.Simulator.Store;

/// <summary>How a write arrived: who manages the fields, whether it is a dry run, and which subresource it targets.</summary>
public sealed record WriteContext(
    bool DryRun = false,
    string? FieldManager = null,
    string? Subresource = null,
    string Operation = "Update",
    bool Force = false,
    string FieldValidation = FieldValidationDirective.Ignore,
    string? PatchType = null,
    List<string>? Warnings = null)
{
    public static WriteContext Internal(string manager, string? subresource = null) => new(FieldManager: manager, Subresource: subresource);

    public bool IsStatus => Subresource == "status";

    /// <summary>Records a warning for the response's <c>Warning</c> headers (HTTP writes collect them; in-process writes drop them).</summary>
    public void Warn(string message) => Warnings?.Add(message);
}

/// <summary>The values of the <c>fieldValidation</c> query parameter (metav1.FieldValidation*).</summary>
public static class FieldValidationDirective
{
    public const string Strict = "Strict";
    public const string Warn = "Warn";
    public const string Ignore = "Ignore";
}

/// <summary>The patch types the API server accepts (k8s.io/apimachinery/pkg/types PatchType), as WriteContext.PatchType.</summary>
public static class PatchTypes
{
    public const string Merge = "application/merge-patch+json";
    public const string Json = "application/json-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";
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
