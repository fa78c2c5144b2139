using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// new-namespace: the target Namespace object, and what of the source namespace will not follow. The guide warns
/// that namespace-level configuration (Cluster Storage, Permissions, connections) must be moved by hand; each fact
/// export recorded is reported, each fact it did not record is reported as not known rather than guessed.
/// </summary>
public static class NamespacePlanner
{
    public static JsonObject TargetNamespace(string target)
    {
        var ns = Manifest.NewObject(Kinds.Namespace, target, null);
        ns.SetLabel(ModelMeshKeys.DashboardLabel, "true");
        ns.SetLabel(ModelMeshKeys.ModelMeshEnabledLabel, "false");
        return ns;
    }

    /// <summary>Reports the source namespace's PVCs, permission RoleBindings and other data connections; returns the RoleBindings --copy-permissions recreates.</summary>
    public static List<JsonObject> ReportAndCopy(TransformContext context, string target, List<string> warnings, List<string> changes)
    {
        var source = context.Item.Namespace;
        var layout = context.Layout;
        var factsDir = layout.Relative(layout.NamespaceFacts(source));

        var pvcs = ModelMeshInputs.NamespaceFacts(layout, source, ModelMeshInputs.PvcsFile);
        if (pvcs is null)
        {
            warnings.Add($"source namespace {source}: PersistentVolumeClaims not known: export did not record them ({factsDir}/{ModelMeshInputs.PvcsFile}); PVCs (\"Cluster Storage\") do not follow to {target} and their contents cannot be copied by this tool");
        }
        else if (pvcs.Count > 0)
        {
            warnings.Add($"source namespace {source} has PersistentVolumeClaim(s) that do not follow to {target}: {string.Join(", ", pvcs.Select(p => $"{p.Name()} ({AccessModes(p)})"))}; PVC contents cannot be copied by this tool: create and fill them in {target} by hand if needed");
        }

        var copies = new List<JsonObject>();
        var bindings = ModelMeshInputs.NamespaceFacts(layout, source, ModelMeshInputs.RoleBindingsFile);
        if (bindings is null)
        {
            if (context.Options.CopyPermissions)
            {
                throw new TransformRefusedException($"--copy-permissions: export did not record the RoleBindings of namespace {source} ({factsDir}/{ModelMeshInputs.RoleBindingsFile}); nothing to copy from");
            }

            warnings.Add($"source namespace {source}: dashboard permissions not known: export did not record RoleBindings ({factsDir}/{ModelMeshInputs.RoleBindingsFile}); project permissions do not follow to {target}");
        }
        else
        {
            var permissions = bindings.Where(IsPermissionBinding).OrderBy(b => b.Name(), StringComparer.Ordinal).ToList();
            if (permissions.Count > 0 && context.Options.CopyPermissions)
            {
                foreach (var binding in permissions)
                {
                    if (binding.At("roleRef").Str("kind") != "ClusterRole")
                    {
                        warnings.Add($"--copy-permissions: RoleBinding {binding.Name()} refers to a namespaced Role ({binding.At("roleRef").Str("name")}) that is not copied; recreate it in {target} by hand");
                        continue;
                    }

                    copies.Add(CopyBinding(binding, target, source));
                    changes.Add($"permission RoleBinding {binding.Name()} ({Subjects(binding)} -> ClusterRole {binding.At("roleRef").Str("name")}) recreated in {target} (--copy-permissions)");
                }
            }
            else if (permissions.Count > 0)
            {
                warnings.Add($"source namespace {source} grants dashboard permissions that do not follow to {target}: {string.Join("; ", permissions.Select(b => $"{b.Name()} ({Subjects(b)} -> {b.At("roleRef").Str("name")})"))}; use --copy-permissions to recreate them");
            }
        }

        var connections = ModelMeshInputs.NamespaceFacts(layout, source, ModelMeshInputs.DataConnectionsFile);
        if (connections is null)
        {
            warnings.Add($"source namespace {source}: other data connections not known: export did not record them ({factsDir}/{ModelMeshInputs.DataConnectionsFile}); only the connections the migrated models use are copied to {target}");
        }
        else
        {
            var used = context.Inventory.Items
                .Where(i => i.Namespace == source && i.Selected && i.Mode == DeploymentMode.ModelMesh && i.Facts.StorageKey is not null)
                .Select(i => i.Facts.StorageKey!)
                .ToHashSet(StringComparer.Ordinal);
            var others = connections.Select(c => c.Name()).Where(n => !used.Contains(n) && n != ModelMeshKeys.StorageConfigSecret).Order(StringComparer.Ordinal).ToList();
            if (others.Count > 0)
            {
                warnings.Add($"source namespace {source} has data connection(s) no migrated model uses, not copied to {target}: {string.Join(", ", others)}");
            }
        }

        return copies;
    }

    /// <summary>Dashboard project sharing binds users and groups; ServiceAccount bindings belong to model auth.</summary>
    private static bool IsPermissionBinding(JsonObject binding) =>
        binding.Label(ModelMeshKeys.DashboardLabel) == "true"
        && binding["subjects"] is JsonArray subjects
        && subjects.OfType<JsonObject>().Any(s => s.Str("kind") is "User" or "Group");

    private static JsonObject CopyBinding(JsonObject binding, string target, string source)
    {
        var copy = Manifest.NewObject(Kinds.RoleBinding, binding.Name(), target);
        foreach (var (key, value) in binding.Labels())
        {
            copy.SetLabel(key, value);
        }

        copy.SetAnnotation(ModelMeshKeys.MigrationOriginalNamespace, source);
        copy["roleRef"] = binding["roleRef"]!.DeepClone();
        copy["subjects"] = new JsonArray(binding["subjects"]!.AsArray().OfType<JsonObject>().Where(s => s.Str("kind") is "User" or "Group").Select(s => (JsonNode)s.DeepClone()).ToArray());
        return copy;
    }

    private static string Subjects(JsonObject binding) =>
        string.Join(", ", (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Where(s => s.Str("kind") is "User" or "Group").Select(s => $"{s.Str("kind")} {s.Str("name")}"));

    public static string AccessModes(JsonObject pvc) =>
        pvc.At("spec", "accessModes") is JsonArray modes && modes.Count > 0 ? string.Join(",", modes.Select(m => m?.GetValue<string>())) : "access modes not set";
}
