using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Export;

/// <summary>
/// export: saves, for every ISVC discover selected, re-appliable copies of the ISVC and everything it depends on
/// (original/), data-free references to the Secrets it uses (references/), per-namespace facts (_namespace/) and
/// cluster-level backups (_cluster/), and capacity.json (what the replacements will request, quotas, free cluster
/// capacity; docs/waves.md). Each kind is listed once per namespace. One failing ISVC is recorded as
/// failed; the others go on. A 403 stops the run (exit 3) before export.json is written.
/// </summary>
public sealed class ExportEngine(IClusterReader cluster, IStageLog log, TimeProvider? clock = null)
{
    public const string IstioSystem = "istio-system";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(ExportOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        var (inventory, consumed) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var source = RetryingCluster.Over(cluster, options.Retry, log);
        var warnings = new List<string>();
        if (options.IncludeSecretData)
        {
            warnings.Add("--include-secret-data: Secret data is written to disk (files mode 0600); protect and delete the workspace after use");
            log.Warn(warnings[^1]);
        }

        var clusterFiles = await ClusterBackupWriter.WriteAsync(source, layout, inventory, options, warnings, cancellationToken).ConfigureAwait(false);
        var selected = inventory.Items.Where(i => i.Selected).ToList();
        var routes = selected.Count == 0
            ? new Dictionary<string, JsonObject>(StringComparer.Ordinal)
            : (await source.ListAsync(Kinds.Route, IstioSystem, null, cancellationToken).ConfigureAwait(false))
                .GroupBy(r => r.Name(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var exported = new List<ExportedItem>();
        var namespaceFiles = new List<ExportedFile>();
        var capacity = new CapacityReader(source, log);
        if (selected.Count > 0)
        {
            await capacity.ReadStorageInitializerAsync(inventory.Cluster.ApplicationsNamespace, cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in selected.GroupBy(i => i.Namespace, StringComparer.Ordinal))
        {
            NamespaceObjects objects;
            try
            {
                objects = await NamespaceObjects.ListAsync(source, group.Key, withPods: true, cancellationToken).ConfigureAwait(false);
                namespaceFiles.AddRange(await NamespaceFactsWriter.WriteAsync(layout, objects, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is ClusterException { IsForbidden: false } or IOException)
            {
                log.Error($"namespace {group.Key}: {PlainErrors.Describe(ex)}");
                exported.AddRange(group.Select(i => Failed(i, $"namespace {i.Namespace} could not be read: {PlainErrors.Describe(ex)}", [])));
                continue;
            }

            if (objects.Pods is null)
            {
                warnings.Add($"namespace {group.Key}: Pods could not be listed (forbidden); pvcs.yaml does not say which pods mount each claim");
            }

            capacity.AddDemand(objects, group);
            await capacity.AddQuotasAsync(group.Key, cancellationToken).ConfigureAwait(false);
            await capacity.AddLimitRangesAsync(group.Key, cancellationToken).ConfigureAwait(false);
            var auth = new AuthObjectFinder.AuthIndex(objects);
            var items = group.ToList();
            var results = new ExportedItem[items.Count];
            var gate = new Lock();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, items.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
                async (i, ct) => results[i] = await ExportItemAsync(layout, items[i], objects, auth, routes, options, gate, ct).ConfigureAwait(false)).ConfigureAwait(false);
            exported.AddRange(results);
        }

        // capacity.json before export.json: a workspace whose export.json exists has its capacity.json too.
        var clusterCapacity = selected.Count == 0
            ? new ClusterCapacity { Readable = false, Reason = "no InferenceService is selected" }
            : await capacity.ReadClusterAsync(cancellationToken).ConfigureAwait(false);
        if (!clusterCapacity.Readable && selected.Count > 0)
        {
            warnings.Add($"capacity.json: cluster capacity is unknown ({clusterCapacity.Reason})");
        }

        var capacityReport = capacity.Report(_clock.GetUtcNow(), new SourceInfo(source.BackingType, source.Description), consumed, clusterCapacity);
        await WorkspaceDocuments.WriteAsync(layout.Capacity, capacityReport, CapacityReportJsonContext.Default.CapacityReport, cancellationToken).ConfigureAwait(false);

        var report = new ExportReport
        {
            GeneratedAt = _clock.GetUtcNow(),
            Source = new SourceInfo(source.BackingType, source.Description),
            Consumed = [consumed],
            Items = exported,
            ClusterFiles = clusterFiles,
            NamespaceFiles = namespaceFiles,
            SecretDataIncluded = options.IncludeSecretData,
            Warnings = warnings,
        };
        var sha = await WorkspaceDocuments.WriteAsync(layout.Export, report, ExportReportJsonContext.Default.ExportReport, cancellationToken).ConfigureAwait(false);

        var failed = exported.Count(i => i.Status != ItemStatuses.Ok);
        var summary = $"exported {exported.Count - failed} of {exported.Count} selected InferenceService(s), {clusterFiles.Count} cluster-level backup(s)"
            + (failed > 0 ? $"; {failed} failed (see export.json)" : "");
        log.Info(summary);
        return new StageOutcome(StageOutcome.ExitFor(failed, exported.Count), summary, new Dictionary<string, string>
        {
            ["exported"] = (exported.Count - failed).ToString(CultureInfo.InvariantCulture),
            ["failed"] = failed.ToString(CultureInfo.InvariantCulture),
            ["export-sha256"] = sha,
        });
    }

    private async Task<ExportedItem> ExportItemAsync(WorkspaceLayout layout, InventoryItem item, NamespaceObjects objects, AuthObjectFinder.AuthIndex authIndex, IReadOnlyDictionary<string, JsonObject> routes, ExportOptions options, Lock gate, CancellationToken ct)
    {
        var warnings = new List<string>();
        try
        {
            List<PendingCopy> copies;

            // The listing is shared by all items and JsonNode materialises lazily, which is not safe across
            // threads: copying out of it happens one item at a time; the copies are the item's own.
            lock (gate)
            {
                copies = Collect(item, objects, authIndex, routes, options, warnings);
            }

            using var staging = new ItemStaging(layout, item.Namespace, item.Name);
            foreach (var copy in copies)
            {
                await staging.SaveCopyAsync(copy, ct).ConfigureAwait(false);
            }

            var ownersFile = await staging.CommitAsync(ct).ConfigureAwait(false);
            warnings.ForEach(w => log.Warn($"{item.Namespace}/{item.Name}: {w}"));
            log.Debug($"exported {item.Namespace}/{item.Name}: {staging.Files.Count} object(s)");
            return new ExportedItem { Namespace = item.Namespace, Name = item.Name, Files = staging.Files, OwnerReferencesFile = ownersFile, Warnings = warnings };
        }
        catch (Exception ex) when (ex is ExportItemException or ClusterException { IsForbidden: false } or IOException or UnauthorizedAccessException or ManifestFormatException)
        {
            log.Error($"export {item.Namespace}/{item.Name} failed: {PlainErrors.Describe(ex)}");
            return Failed(item, PlainErrors.Describe(ex), warnings);
        }
    }

    /// <summary>The cleaned copies of everything one ISVC's export holds, in the order they are written.</summary>
    private static List<PendingCopy> Collect(InventoryItem item, NamespaceObjects objects, AuthObjectFinder.AuthIndex authIndex, IReadOnlyDictionary<string, JsonObject> routes, ExportOptions options, List<string> warnings)
    {
        var isvc = objects.Isvc(item.Name)
            ?? throw new ExportItemException($"InferenceService {item.Namespace}/{item.Name} no longer exists (it was in inventory.json); run discover again");
        if (item.Uid is not null && isvc.Uid() is { } uid && uid != item.Uid)
        {
            throw new ExportItemException($"InferenceService {item.Namespace}/{item.Name} was recreated since discover (metadata.uid changed); run discover again");
        }

        var runtime = item.Facts.Runtime is { } runtimeName
            ? objects.Runtime(runtimeName) ?? throw new ExportItemException($"InferenceService {item.Namespace}/{item.Name}: ServingRuntime '{runtimeName}' (spec.predictor.model.runtime{(item.Facts.RuntimeResolvedBy == "spec" ? "" : ", auto-selected")}) does not exist in namespace {item.Namespace}")
            : throw new ExportItemException($"InferenceService {item.Namespace}/{item.Name}: no ServingRuntime recorded for it in inventory.json (spec.predictor.model.runtime)");

        var copies = new List<PendingCopy>
        {
            PendingCopy.Of(isvc, ItemStaging.OriginalDir, ExportRoles.Isvc, false),
            PendingCopy.Of(runtime, ItemStaging.OriginalDir, ExportRoles.Runtime, false),
        };

        var auth = AuthObjectFinder.Find(isvc, item.Mode, item.Facts.Runtime, authIndex);
        foreach (var (obj, role) in new[] { (auth.ServiceAccount, ExportRoles.ServiceAccount), (auth.Role, ExportRoles.Role), (auth.RoleBinding, ExportRoles.RoleBinding) })
        {
            if (obj is not null)
            {
                copies.Add(PendingCopy.Of(obj, ItemStaging.OriginalDir, role, false));
            }
        }

        if (item.Facts.Auth && auth.ServiceAccount is null)
        {
            warnings.Add("auth is enabled but no ServiceAccount was found by ownerReference or dashboard name");
        }

        foreach (var token in auth.TokenSecrets)
        {
            var copy = options.IncludeSecretData ? token : SecretSanitizer.TokenTemplate(token);
            copies.Add(PendingCopy.Of(copy, ItemStaging.OriginalDir, ExportRoles.TokenSecret, options.IncludeSecretData));
        }

        if (routes.GetValueOrDefault($"{item.Name}-{item.Namespace}") is { } route)
        {
            copies.Add(PendingCopy.Of(route, ItemStaging.OriginalDir, ExportRoles.Route, false));
        }

        foreach (var secret in StorageSecrets(isvc, item, objects, warnings))
        {
            var copy = options.IncludeSecretData ? secret : SecretSanitizer.WithoutData(secret);
            copies.Add(PendingCopy.Of(copy, ItemStaging.ReferencesDir, ExportRoles.StorageSecret, options.IncludeSecretData));
        }

        return copies;
    }

    private static ExportedItem Failed(InventoryItem item, string error, List<string> warnings) =>
        new() { Namespace = item.Namespace, Name = item.Name, Status = ItemStatuses.Failed, Error = error, Warnings = warnings };

    /// <summary>
    /// The Secrets the model's storage refers to: the data connection named by storage.key (or ModelMesh's
    /// serving.kserve.io/secretKey), KServe's storage-config that holds connections by key, and image pull secrets.
    /// </summary>
    private static List<JsonObject> StorageSecrets(JsonObject isvc, InventoryItem item, NamespaceObjects objects, List<string> warnings)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (item.Facts.StorageKey is { } key && item.Facts.StorageForm is "storage-key" or "modelmesh-secret-key")
        {
            names.Add(key);
            if (objects.Secret(key) is null && objects.Secret("storage-config") is null)
            {
                var field = item.Facts.StorageForm == "storage-key" ? "spec.predictor.model.storage.key" : "metadata.annotations[serving.kserve.io/secretKey]";
                warnings.Add($"{field} names '{key}', but neither a Secret of that name nor storage-config exists in {item.Namespace}");
            }

            names.Add("storage-config");
        }

        if (isvc.At("spec", "predictor", "imagePullSecrets") is JsonArray pullSecrets)
        {
            foreach (var name in pullSecrets.Select(p => p.Str("name")).OfType<string>())
            {
                names.Add(name);
            }
        }

        return names.Select(objects.Secret).OfType<JsonObject>().ToList();
    }
}

/// <summary>One item cannot be exported; the message names the object and field.</summary>
public sealed class ExportItemException : Exception
{
    public ExportItemException(string message) : base(message) { }
    public ExportItemException() { }
    public ExportItemException(string message, Exception inner) : base(message, inner) { }
}
