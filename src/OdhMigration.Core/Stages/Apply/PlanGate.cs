using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>The objects apply writes for one plan item, in plan order, read from files whose sha256 matched.</summary>
public sealed record PlannedObjects(PlanItem Item, IReadOnlyList<JsonObject> Objects);

/// <summary>
/// The approval gate on apply's input: plan.json must be the one approved (when a sha256 is given) and every
/// planned file must still have the sha256 transform recorded. Any mismatch refuses the whole run before anything
/// is written: an edited file could be anything.
/// </summary>
public static class PlanGate
{
    public static void CheckPlanSha(ConsumedDocument plan, string? expected)
    {
        if (!string.IsNullOrWhiteSpace(expected) && !string.Equals(plan.Sha256, expected.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new PreconditionException($"{plan.Path} has sha256 {plan.Sha256}, but --expect-plan-sha256 is {expected.Trim()}: the plan changed since it was approved; nothing was applied");
        }
    }

    /// <summary>Reads and checks the files of every applicable item; returns them keyed by item.</summary>
    public static async Task<List<PlannedObjects>> LoadAsync(WorkspaceLayout layout, Plan plan, CancellationToken cancellationToken)
    {
        var result = new List<PlannedObjects>();
        var problems = new List<string>();
        foreach (var item in plan.Items.Where(i => i.Status == ItemStatuses.Ok))
        {
            var byRef = new Dictionary<(string Kind, string Name, string? Ns), JsonObject>();
            foreach (var file in item.Files)
            {
                var path = layout.Absolute(file.Path);
                if (!File.Exists(path))
                {
                    problems.Add($"{file.Path} (planned for {item.Namespace}/{item.Name}) is missing");
                    continue;
                }

                var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(Hashing.Sha256Hex(text), file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{file.Path} (planned for {item.Namespace}/{item.Name}) changed since transform: sha256 {Hashing.Sha256Hex(text)}, plan says {file.Sha256}");
                    continue;
                }

                if (Yaml.ParseSingle(text, file.Path) is not JsonObject obj)
                {
                    problems.Add($"{file.Path} holds no object");
                    continue;
                }

                byRef[(obj.Kind() ?? "", obj.Name(), obj.Namespace())] = obj;
            }

            var ordered = new List<JsonObject>();
            foreach (var create in item.Create)
            {
                if (byRef.TryGetValue((create.Kind, create.Name, create.Namespace), out var obj))
                {
                    ordered.Add(obj);
                }
                else
                {
                    problems.Add($"{item.Namespace}/{item.Name}: plan Create names {create.Kind} {create.Namespace}/{create.Name}, but no planned file holds it");
                }
            }

            result.Add(new PlannedObjects(item, ordered));
        }

        if (problems.Count > 0)
        {
            throw new PreconditionException("plan.json does not match the workspace; nothing was applied (run transform again and have the plan approved):\n  " + string.Join("\n  ", problems));
        }

        return result;
    }
}
