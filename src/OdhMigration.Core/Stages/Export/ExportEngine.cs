using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// export: saves, for every ISVC discover selected, re-appliable copies of the ISVC and everything it depends on
/// (original/), plus cluster-level backups. One failing ISVC is recorded as failed; the others go on.
/// </summary>
public sealed class ExportEngine(IClusterReader cluster, IStageLog log, TimeProvider? clock = null)
{
    public const string IstioSystem = "istio-system";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(ExportOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        var (inventory, consumed) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        if (options.IncludeSecretData)
        {
            warnings.Add("--include-secret-data: Secret data is written to disk (files mode 0600); protect and delete the workspace after use");
            log.Warn(warnings[^1]);
        }

        var selected = inventory.Items.Where(i => i.Selected).ToList();
        var routes = selected.Count == 0 ? [] : await cluster.ListAsync(Kinds.Route, IstioSystem, null, cancellationToken).ConfigureAwait(false);
        var exported = new List<ExportedItem>();
        foreach (var group in selected.GroupBy(i => i.Namespace, StringComparer.Ordinal))
        {
            var objects = await ListNamespaceAsync(group.Key, cancellationToken).ConfigureAwait(false);
            await WriteNamespaceFactsAsync(layout, objects, cancellationToken).ConfigureAwait(false);
            foreach (var item in group)
            {
                exported.Add(await ExportItemAsync(layout, item, objects, routes, options, cancellationToken).ConfigureAwait(false));
            }
        }

        var clusterFiles = await ExportClusterAsync(layout, inventory, options, warnings, cancellationToken).ConfigureAwait(false);
        var report = new ExportReport
        {
            GeneratedAt = _clock.GetUtcNow(),
            Source = new SourceInfo(cluster.BackingType, cluster.Description),
            Consumed = [consumed],
            Items = exported,
            ClusterFiles = clusterFiles,
            SecretDataIncluded = options.IncludeSecretData,
            Warnings = warnings,
        };
        var sha = await WorkspaceDocuments.WriteAsync(layout.Export, report, ExportReportJsonContext.Default.ExportReport, cancellationToken).ConfigureAwait(false);

        var failed = exported.Count(i => i.Status != "ok");
        var summary = $"exported {exported.Count - failed} of {exported.Count} selected InferenceService(s), {clusterFiles.Count} cluster-level backup(s)";
        log.Info(summary);
        return new StageOutcome(StageOutcome.ExitFor(failed, exported.Count), summary, new Dictionary<string, string>
        {
            ["exported"] = (exported.Count - failed).ToString(CultureInfo.InvariantCulture),
            ["failed"] = failed.ToString(CultureInfo.InvariantCulture),
            ["export-sha256"] = sha,
        });
    }

    private async Task<NamespaceObjects> ListNamespaceAsync(string ns, CancellationToken ct)
    {
        var secrets = await cluster.ListAsync(Kinds.Secret, ns, null, ct).ConfigureAwait(false);
        return new NamespaceObjects(
            ns,
            await cluster.GetAsync(Kinds.Namespace, null, ns, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.InferenceService, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.ServingRuntime, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.ServiceAccount, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.Role, ns, null, ct).ConfigureAwait(false),
            await cluster.ListAsync(Kinds.RoleBinding, ns, null, ct).ConfigureAwait(false),
            secrets);
    }

    private async Task<ExportedItem> ExportItemAsync(WorkspaceLayout layout, InventoryItem item, NamespaceObjects objects, IReadOnlyList<JsonObject> routes, ExportOptions options, CancellationToken ct)
    {
        var warnings = new List<string>();
        try
        {
            var isvc = objects.InferenceServices.FirstOrDefault(i => i.Name() == item.Name)
                ?? throw new InvalidOperationException($"InferenceService {item.Namespace}/{item.Name} no longer exists (it was in inventory.json)");
            if (item.Uid is not null && isvc.Uid() is { } uid && uid != item.Uid)
            {
                throw new InvalidOperationException($"InferenceService {item.Namespace}/{item.Name} was recreated since discover (metadata.uid changed); run discover again");
            }

            var dir = layout.Original(item.Namespace, item.Name);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true); // a re-run replaces, never mixes, an earlier export
            }

            var files = new List<ExportedFile>();
            var owners = new JsonObject();
            await SaveAsync(layout, dir, isvc, "isvc", files, owners, ct).ConfigureAwait(false);

            var runtime = item.Facts.Runtime is null ? null : objects.ServingRuntimes.FirstOrDefault(r => r.Name() == item.Facts.Runtime);
            if (runtime is not null)
            {
                await SaveAsync(layout, dir, runtime, "runtime", files, owners, ct).ConfigureAwait(false);
            }
            else
            {
                warnings.Add($"ServingRuntime '{item.Facts.Runtime ?? "(none)"}' not found in {item.Namespace}; not exported");
            }

            var auth = AuthObjectFinder.Find(isvc, item.Mode, item.Facts.Runtime, objects);
            foreach (var (obj, role) in new[] { (auth.ServiceAccount, "service-account"), (auth.Role, "role"), (auth.RoleBinding, "role-binding") })
            {
                if (obj is not null)
                {
                    await SaveAsync(layout, dir, obj, role, files, owners, ct).ConfigureAwait(false);
                }
            }

            if (item.Facts.Auth && auth.ServiceAccount is null)
            {
                warnings.Add("auth is enabled but no ServiceAccount was found by ownerReference or dashboard name");
            }

            foreach (var token in auth.TokenSecrets)
            {
                var copy = options.IncludeSecretData ? token : SecretSanitizer.TokenTemplate(token);
                await SaveAsync(layout, dir, copy, "token-secret", files, owners, ct, secretData: options.IncludeSecretData).ConfigureAwait(false);
            }

            if (item.Mode == DeploymentMode.Serverless && routes.FirstOrDefault(r => r.Name() == $"{item.Name}-{item.Namespace}") is { } route)
            {
                await SaveAsync(layout, dir, route, "route", files, owners, ct).ConfigureAwait(false);
            }

            foreach (var secret in StorageSecrets(isvc, item, objects))
            {
                var copy = options.IncludeSecretData ? secret : SecretSanitizer.WithoutData(secret);
                await SaveAsync(layout, Path.Combine(layout.IsvcDir(item.Namespace, item.Name), "references"), copy, "storage-secret", files, owners, ct, secretData: options.IncludeSecretData).ConfigureAwait(false);
            }

            await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(layout.IsvcDir(item.Namespace, item.Name), "original-owner-references.json"), owners.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellationToken: ct).ConfigureAwait(false);
            log.Info($"exported {item.Namespace}/{item.Name}: {files.Count} object(s)");
            return new ExportedItem { Namespace = item.Namespace, Name = item.Name, Files = files, Warnings = warnings };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ClusterException or IOException)
        {
            log.Error($"export {item.Namespace}/{item.Name} failed: {ex.Message}");
            return new ExportedItem { Namespace = item.Namespace, Name = item.Name, Status = "failed", Error = ex.Message, Warnings = warnings };
        }
    }

    /// <summary>The connection Secrets the model's storage refers to (by name only: storage.key / secretKey and storage-config).</summary>
    private static IEnumerable<JsonObject> StorageSecrets(JsonObject isvc, InventoryItem item, NamespaceObjects objects)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (item.Facts.StorageKey is { } key)
        {
            names.Add(key);
            names.Add("storage-config");
        }

        if (isvc.At("spec", "predictor", "imagePullSecrets") is JsonArray pullSecrets)
        {
            foreach (var name in pullSecrets.Select(p => p.Str("name")).OfType<string>())
            {
                names.Add(name);
            }
        }

        return objects.Secrets.Where(s => names.Contains(s.Name())).OrderBy(s => s.Name(), StringComparer.Ordinal);
    }

    private async Task SaveAsync(WorkspaceLayout layout, string dir, JsonObject obj, string role, List<ExportedFile> files, JsonObject owners, CancellationToken ct, bool secretData = false)
    {
        var copy = obj.DeepCopy();
        var ownerRefs = ServerFields.StripForBackup(copy);
        var fileName = ManifestFileNames.For(copy.Kind()!, copy.Name(), role == "token-secret");
        var path = Path.Combine(dir, fileName);
        var text = Yaml.Serialize(copy);
        await WorkspaceDocuments.WriteTextAtomicAsync(path, text, secretData && copy.Kind() == "Secret" ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null, ct).ConfigureAwait(false);
        if (ownerRefs is not null)
        {
            owners[layout.Relative(path)] = ownerRefs;
        }

        files.Add(new ExportedFile(layout.Relative(path), Hashing.Sha256Hex(text), role, copy.Kind()!, copy.Name(), copy.Namespace()));
    }

    private static async Task WriteNamespaceFactsAsync(WorkspaceLayout layout, NamespaceObjects objects, CancellationToken ct)
    {
        if (objects.NamespaceObject is { } ns)
        {
            var copy = ns.DeepCopy();
            ServerFields.StripForBackup(copy);
            await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(layout.NamespaceFacts(objects.Namespace), "namespace.yaml"), Yaml.Serialize(copy), cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private async Task<List<ExportedFile>> ExportClusterAsync(WorkspaceLayout layout, Inventory inventory, ExportOptions options, List<string> warnings, CancellationToken ct)
    {
        var files = new List<ExportedFile>();
        var dir = layout.ClusterFacts;
        var appsNs = inventory.Cluster.ApplicationsNamespace;
        if (appsNs is not null && await cluster.GetAsync(Kinds.ConfigMap, appsNs, ClusterDefaultsReader.ConfigMapName, ct).ConfigureAwait(false) is { } configMap)
        {
            files.Add(await SaveClusterAsync(layout, dir, configMap, "inferenceservice-config", ct).ConfigureAwait(false));
        }

        var templateNs = options.TemplateNamespace ?? appsNs;
        if (templateNs is not null && inventory.Items.Any(i => i.Selected && i.Mode == DeploymentMode.ModelMesh))
        {
            var templates = await cluster.ListAsync(Kinds.Template, templateNs, null, ct).ConfigureAwait(false);
            if (templates.Count == 0)
            {
                warnings.Add($"no runtime Templates found in namespace {templateNs}; ModelMesh runtimes will be converted from the old runtime itself");
            }

            foreach (var template in templates)
            {
                files.Add(await SaveClusterAsync(layout, Path.Combine(dir, "templates"), template, "template", ct).ConfigureAwait(false));
            }
        }

        foreach (var dsc in await cluster.ListAsync(Kinds.DataScienceCluster, null, null, ct).ConfigureAwait(false))
        {
            files.Add(await SaveClusterAsync(layout, dir, dsc, "dsc", ct).ConfigureAwait(false));
        }

        foreach (var dsci in await cluster.ListAsync(Kinds.DSCInitialization, null, null, ct).ConfigureAwait(false))
        {
            files.Add(await SaveClusterAsync(layout, dir, dsci, "dsci", ct).ConfigureAwait(false));
        }

        return files;
    }

    private static async Task<ExportedFile> SaveClusterAsync(WorkspaceLayout layout, string dir, JsonObject obj, string role, CancellationToken ct)
    {
        var copy = obj.DeepCopy();
        ServerFields.StripForBackup(copy);
        var path = Path.Combine(dir, $"{copy.Kind()!.ToLowerInvariant()}-{copy.Name()}.yaml");
        var text = Yaml.Serialize(copy);
        await WorkspaceDocuments.WriteTextAtomicAsync(path, text, cancellationToken: ct).ConfigureAwait(false);
        return new ExportedFile(layout.Relative(path), Hashing.Sha256Hex(text), role, copy.Kind()!, copy.Name(), copy.Namespace());
    }
}
