using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Http.Tables;

/// <summary>
/// One meta.k8s.io/v1 TableColumnDefinition and how its cell is computed from an object (null prints as
/// <c>&lt;none&gt;</c> in kubectl). Priority 1 columns show only with <c>-o wide</c>.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    /// <summary>ObjectMeta's swagger description of <c>name</c>, which the API server gives every Name column.</summary>
    public const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    /// <summary>ObjectMeta's swagger description of <c>creationTimestamp</c>, given to Age columns.</summary>
    public const string CreationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn NameColumn { get; } = new("Name", "string", "name", NameDescription, 0, (o, _) => o.At("metadata", "name")?.DeepClone());

    /// <summary>The built-in printers' Age column (type string, value already humanised).</summary>
    public static TableColumn AgeColumn { get; } = new("Age", "string", string.Empty, CreationTimestampDescription, 0, (o, now) => HumanDuration.Since(o.At("metadata", "creationTimestamp")?.ToString(), now));

    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
