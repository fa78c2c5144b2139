using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>An object export saved, with its role (isvc, runtime, service-account, role, role-binding, token-secret, route, storage-secret).</summary>
public sealed record SavedObject(string Role, string Path, JsonObject Object);

/// <summary>Everything a mode transformer may read: the inventory item, what export saved for it, and workspace-wide facts.</summary>
public sealed record TransformContext(
    InventoryItem Item,
    IReadOnlyList<SavedObject> Originals,
    Inventory Inventory,
    ExportReport Export,
    TransformOptions Options,
    WorkspaceLayout Layout)
{
    public JsonObject Isvc => Originals.First(o => o.Role == "isvc").Object;
    public JsonObject? Runtime => Originals.FirstOrDefault(o => o.Role == "runtime")?.Object;
    public SavedObject? Find(string role) => Originals.FirstOrDefault(o => o.Role == role);
    public IEnumerable<SavedObject> All(string role) => Originals.Where(o => o.Role == role);
}

/// <summary>
/// What a mode transformer produces for one ISVC: the objects for raw/ (side-by-side names) and
/// raw-original-names/, which of them the chosen strategy applies, and the plan details.
/// </summary>
public sealed record TransformResult
{
    public required string Strategy { get; init; }
    public required string TargetNamespace { get; init; }
    public required string TargetName { get; init; }
    public List<JsonObject> Raw { get; init; } = [];
    public List<JsonObject> RawOriginalNames { get; init; } = [];

    /// <summary>True when the strategy applies raw-original-names/ rather than raw/.</summary>
    public bool AppliesOriginalNames { get; init; }
    public bool DeleteBeforeCreate { get; init; }

    /// <summary>With DeleteBeforeCreate: the originals apply deletes before creating (see PlanItem.DeleteBeforeApply).</summary>
    public List<PlannedDeletion> DeleteBeforeApply { get; init; } = [];
    public List<PlannedDeletion> DeleteOnCleanup { get; init; } = [];
    public List<PlannedKeep> Keep { get; init; } = [];
    public List<ObjectRef> SecretCopies { get; init; } = [];
    public List<SecretKeyCopy> SecretKeyCopies { get; init; } = [];
    public bool RequireNewTargetNamespace { get; init; }
    public List<LabelChange> LabelChanges { get; init; } = [];
    public List<string> Warnings { get; init; } = [];
    public List<string> Changes { get; init; } = [];
    public EndpointMapping? Endpoint { get; init; }
}

/// <summary>A refusal for one ISVC: a clear reason, the others go on.</summary>
public sealed class TransformRefusedException(string message) : Exception(message)
{
    public TransformRefusedException() : this("refused") { }
    public TransformRefusedException(string message, Exception inner) : this(message + ": " + PlainErrors.Describe(inner)) { }
}

public interface IModeTransformer
{
    string Mode { get; }
    TransformResult Transform(TransformContext context);
}
