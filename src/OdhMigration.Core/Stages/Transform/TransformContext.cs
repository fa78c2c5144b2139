using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>An object export saved, with its role (isvc, runtime, service-account, role, role-binding, token-secret, route, storage-secret).</summary>
public sealed record SavedObject(string Role, string Path, JsonObject Object);

/// <summary>
/// Everything a mode transformer may read: the item with its facts from the exported original, what export saved
/// for it, and workspace-wide facts. Inventory is there for the other InferenceServices of a namespace (export saves
/// only the selected ones), never for the item's own facts.
/// </summary>
public sealed record TransformContext(
    TransformItem Item,
    IReadOnlyList<SavedObject> Originals,
    Inventory Inventory,
    ExportReport Export,
    TransformOptions Options,
    WorkspaceLayout Layout)
{
    public JsonObject Isvc => Originals.First(o => o.Role == ExportRoles.Isvc).Object;
    public JsonObject? Runtime => Originals.FirstOrDefault(o => o.Role == ExportRoles.Runtime)?.Object;
    public SavedObject? Find(string role) => Originals.FirstOrDefault(o => o.Role == role);
    public IEnumerable<SavedObject> All(string role) => Originals.Where(o => o.Role == role);
}

/// <summary>
/// What a mode transformer produces for one ISVC: the objects for raw/ (side-by-side names) and
/// raw-original-names/, which of them the chosen strategy applies, and its plan entry. The engine fills in what
/// only it knows (identity, source mode, applied files and create order) and records the entry as it is.
/// </summary>
public sealed record TransformResult
{
    public List<JsonObject> Raw { get; init; } = [];
    public List<JsonObject> RawOriginalNames { get; init; } = [];

    /// <summary>True when the strategy applies raw-original-names/ rather than raw/.</summary>
    public bool AppliesOriginalNames { get; init; }

    /// <summary>The plan details: strategy, target, deletions, keeps, copies, label changes, warnings, changes, endpoint.</summary>
    public required PlanItem Plan { get; init; }
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
