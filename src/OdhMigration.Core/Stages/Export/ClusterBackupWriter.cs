using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Export;

/// <summary>Cluster-level backups in _cluster/: inferenceservice-config, the runtime Templates (ModelMesh needs them), DSC and DSCI.</summary>
public static class ClusterBackupWriter
{
    public static async Task<List<ExportedFile>> WriteAsync(IClusterReader cluster, WorkspaceLayout layout, Inventory inventory, ExportOptions options, List<string> warnings, CancellationToken ct)
    {
        var files = new List<ExportedFile>();
        var dir = layout.ClusterFacts;
        var appsNs = inventory.Cluster.ApplicationsNamespace;
        if (appsNs is not null && await cluster.GetAsync(Kinds.ConfigMap, appsNs, ClusterDefaultsReader.ConfigMapName, ct).ConfigureAwait(false) is { } configMap)
        {
            files.Add(await SaveAsync(layout, dir, configMap, ExportRoles.InferenceServiceConfig, ct).ConfigureAwait(false));
        }
        else
        {
            warnings.Add($"ConfigMap {ClusterDefaultsReader.ConfigMapName} not found in {appsNs ?? "(no applications namespace)"}; not backed up");
        }

        var templateNs = options.TemplateNamespace ?? appsNs;
        if (templateNs is not null && inventory.Items.Any(i => i.Selected && i.Mode == DeploymentMode.ModelMesh))
        {
            var templates = (await cluster.ListAsync(Kinds.Template, templateNs, null, ct).ConfigureAwait(false)).Where(IsRuntimeTemplate).ToList();
            if (templates.Count == 0)
            {
                warnings.Add($"no ServingRuntime Templates found in namespace {templateNs}; ModelMesh runtimes will be converted from the old runtime itself");
            }

            foreach (var template in templates)
            {
                files.Add(await SaveAsync(layout, Path.Combine(dir, "templates"), template, ExportRoles.Template, ct).ConfigureAwait(false));
            }
        }

        foreach (var dsc in await cluster.ListAsync(Kinds.DataScienceCluster, null, null, ct).ConfigureAwait(false))
        {
            files.Add(await SaveAsync(layout, dir, dsc, ExportRoles.Dsc, ct).ConfigureAwait(false));
        }

        foreach (var dsci in await cluster.ListAsync(Kinds.DSCInitialization, null, null, ct).ConfigureAwait(false))
        {
            files.Add(await SaveAsync(layout, dir, dsci, ExportRoles.Dsci, ct).ConfigureAwait(false));
        }

        return files;
    }

    /// <summary>A Template whose objects include a ServingRuntime (the dashboard's serving runtime templates).</summary>
    public static bool IsRuntimeTemplate(JsonObject template) =>
        template["objects"] is JsonArray objects && objects.Any(o => o.Str("kind") == "ServingRuntime");

    private static async Task<ExportedFile> SaveAsync(WorkspaceLayout layout, string dir, JsonObject obj, string role, CancellationToken ct)
    {
        var (copy, _) = BackupCopy.Make(obj);
        var path = layout.ObjectFile(dir, copy.Kind()!, copy.Name(), copy.Namespace(), $"{copy.Kind()!.ToLowerInvariant()}-{copy.Name()}.yaml");
        var text = Yaml.Serialize(copy);
        await WorkspaceDocuments.WriteTextAtomicAsync(path, text, cancellationToken: ct).ConfigureAwait(false);
        return new ExportedFile(layout.Relative(path), Hashing.Sha256Hex(text), role, copy.Kind()!, copy.Name(), copy.Namespace());
    }
}
