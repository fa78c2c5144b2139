using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.DscFinalize;

/// <summary>
/// What dsc-finalize is about to change, as a document with no timestamp and no run-specific field: the same
/// cluster and options give the same bytes, so the sha256 a dry run shows the approvers is the one the real run
/// recomputes before its first change (--expect-finalize-plan-sha256). The merge patches, the field changes with
/// their current values, and the operators that would be uninstalled are all in it: if any of them moves between
/// the preview and the run, the sha256 differs and the run is refused.
/// </summary>
public static class FinalizePlan
{
    public const string FileName = "finalize-plan.json";
    public const string RefusedFileName = "finalize-plan.refused.json";
    public const string ExpectOption = "--expect-finalize-plan-sha256";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record Target(string Kind, string Name, string? Namespace, JsonObject Patch);

    public static string Render(DscFinalizeOptions options, IReadOnlyList<Target> patches, IReadOnlyList<FieldChange> changes, IReadOnlyList<OperatorAdvice> uninstall)
    {
        var document = new JsonObject
        {
            ["kind"] = "FinalizePlan",
            ["schemaVersion"] = 1,
            ["options"] = new JsonObject
            {
                ["dsc"] = options.DscName,
                ["uninstallOperators"] = options.UninstallOperators,
                ["hardwareProfileIgnorelist"] = options.HardwareProfileIgnorelist,
            },
            ["patches"] = new JsonArray(patches.Select(p => (JsonNode?)new JsonObject
            {
                ["kind"] = p.Kind,
                ["name"] = p.Name,
                ["namespace"] = p.Namespace,
                ["mergePatch"] = p.Patch.DeepCopy(),
            }).ToArray()),
            ["changes"] = new JsonArray(changes.Select(c => (JsonNode?)new JsonObject
            {
                ["kind"] = c.Kind,
                ["name"] = c.Name,
                ["field"] = c.Field,
                ["from"] = c.From,
                ["to"] = c.To,
            }).ToArray()),
            ["uninstall"] = new JsonArray(uninstall.Select(o => (JsonNode?)new JsonObject
            {
                ["operator"] = o.Operator,
                ["namespace"] = o.Namespace,
                ["subscription"] = o.Subscription,
                ["csv"] = o.Csv,
            }).ToArray()),
        };
        return document.ToJsonString(Indented) + "\n";
    }

    public static string Sha256(string rendered) => Hashing.Sha256Hex(rendered);
}
