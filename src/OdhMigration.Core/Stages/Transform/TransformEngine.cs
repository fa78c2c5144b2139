using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Stages.Transform.Waves;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>
/// transform: a pure function from the workspace (inventory, export and the saved originals) to manifests and
/// plan.json. It never talks to a cluster. Each ISVC is transformed on its own: a refusal is recorded in the plan
/// with its reason and the others go on.
/// </summary>
public sealed class TransformEngine(IStageLog log, IEnumerable<IModeTransformer> transformers, TimeProvider? clock = null)
{
    private readonly Dictionary<string, IModeTransformer> _transformers = transformers.ToDictionary(t => t.Mode, StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<StageOutcome> RunAsync(TransformOptions options, WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        UsageProblems.ThrowIfAny(options.Problems());
        var (inventory, inventoryConsumed) = await WorkspaceDocuments.ReadInventoryAsync(layout, cancellationToken).ConfigureAwait(false);
        var (export, exportConsumed) = await WorkspaceDocuments.ReadExportAsync(layout, cancellationToken).ConfigureAwait(false);
        CheckOptionKeys(options, inventory);
        TransformWaves.CheckOrderNames(options, inventory);
        var (capacity, capacityConsumed) = await TransformWaves.LoadAsync(options, layout, cancellationToken).ConfigureAwait(false);

        var items = new List<PlanItem>();
        var byName = inventory.Items.GroupBy(i => (i.Namespace, i.Name)).ToDictionary(g => g.Key, g => g.First());
        foreach (var exported in export.Items)
        {
            var item = byName.GetValueOrDefault((exported.Namespace, exported.Name));
            items.Add(await TransformItemAsync(layout, inventory, export, exported, item, options, cancellationToken).ConfigureAwait(false));
        }

        // Waves first: an InferenceService that can never fit is refused, and then keeps its original runtime in use.
        var (waved, waves, waveWarnings) = TransformWaves.Assign(options, inventory, capacity, items, log);
        items = waved;
        var runtimes = RuntimeUsages(inventory, items);
        var usageByRuntime = runtimes.ToDictionary(r => (r.Namespace, r.Name));
        var backups = BackupHashes.From(export);
        items = items.Select(i => RecordBackupHashes(ProtectSharedRuntimes(i, usageByRuntime), backups)).ToList();
        var plan = new Plan
        {
            GeneratedAt = _clock.GetUtcNow(),
            Consumed = capacityConsumed is null ? [inventoryConsumed, exportConsumed] : [inventoryConsumed, exportConsumed, capacityConsumed],
            Options = new PlanOptions { Strategy = options.Strategy, TargetNamespace = options.TargetNamespace, Visibility = options.Visibility, IgnoreExistingNamespace = options.IgnoreExistingNamespace, Waves = options.WaveMode, WaveSize = options.WaveSize },
            Items = items,
            Runtimes = runtimes,
            Waves = waves,
            Warnings = waveWarnings,
        };
        var sha = await WorkspaceDocuments.WriteAsync(layout.Plan, plan, PlanJsonContext.Default.Plan, cancellationToken).ConfigureAwait(false);

        var failed = items.Count(i => i.Status != ItemStatuses.Ok);
        var summary = $"planned {items.Count - failed} of {items.Count} InferenceService(s); {failed} refused";
        log.Info(summary);
        return new StageOutcome(StageOutcome.ExitFor(failed, items.Count), summary, new Dictionary<string, string>
        {
            ["planned"] = (items.Count - failed).ToString(CultureInfo.InvariantCulture),
            ["refused"] = failed.ToString(CultureInfo.InvariantCulture),
            ["plan-sha256"] = sha,
            [GateSummary.PlanResult] = GateSummary.ForPlan(plan),
        });
    }

    /// <summary>
    /// Per-ISVC and per-runtime overrides must name something selected: a typo would otherwise be silently
    /// ignored and the model migrated with settings the user did not mean.
    /// </summary>
    private static void CheckOptionKeys(TransformOptions options, Inventory inventory)
    {
        var selected = inventory.Items.Where(i => i.Selected).ToList();
        var isvcKeys = selected.SelectMany(i => new[] { i.Name, $"{i.Namespace}/{i.Name}" }).ToHashSet(StringComparer.Ordinal);
        var runtimeKeys = selected.Where(i => i.Facts.Runtime is not null).SelectMany(i => new[] { i.Facts.Runtime!, $"{i.Namespace}/{i.Facts.Runtime}" }).ToHashSet(StringComparer.Ordinal);
        foreach (var (option, keys, known, what) in new[]
        {
            ("--storage-path", options.StoragePaths.Keys, isvcKeys, "selected InferenceService"),
            ("--storage-uri", options.StorageUris.Keys, isvcKeys, "selected InferenceService"),
            ("--runtime-template", options.RuntimeTemplates.Keys, runtimeKeys, "runtime of a selected InferenceService"),
        })
        {
            var unknown = keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new UsageException($"{option}: {string.Join(", ", unknown.Select(k => $"'{k}'"))} names no {what} (see inventory.json)");
            }
        }
    }

    private async Task<PlanItem> TransformItemAsync(WorkspaceLayout layout, Inventory inventory, ExportReport export, ExportedItem exported, InventoryItem? discovered, TransformOptions options, CancellationToken ct)
    {
        var sourceMode = discovered?.Mode ?? "";
        var refused = (string reason) =>
        {
            log.Error($"transform {exported.Namespace}/{exported.Name} refused: {reason}");
            return new PlanItem { Namespace = exported.Namespace, Name = exported.Name, SourceMode = sourceMode, Status = ItemStatuses.Failed, Error = reason };
        };

        if (discovered is null)
        {
            return refused("not in inventory.json (the workspace mixes runs; run discover and export again)");
        }

        if (exported.Status != ItemStatuses.Ok)
        {
            return refused($"export failed: {exported.Error}");
        }

        try
        {
            var originals = await LoadOriginalsAsync(layout, exported, ct).ConfigureAwait(false);
            IsvcFieldCheck.Check(originals.First(o => o.Role == ExportRoles.Isvc).Object);

            // Every fact comes from the exported original; discover's only tell what changed since.
            var item = TransformItem.Read(originals, discovered);
            sourceMode = item.Mode;
            var drift = DiscoverDrift.Compare(discovered, item);
            if (drift.Refusals.Count > 0)
            {
                return refused(string.Join("; ", drift.Refusals) + "; run discover and export again to migrate it as it is now");
            }

            if (!_transformers.TryGetValue(item.Mode, out var transformer))
            {
                return refused($"no transform for mode {item.Mode}");
            }

            var result = transformer.Transform(new TransformContext(item, originals, inventory, export, options, layout));
            CheckNames(result);
            var rawDir = layout.Raw(item.Namespace, item.Name);
            var originalNamesDir = layout.RawOriginalNames(item.Namespace, item.Name);
            var rawFiles = await WriteFolderAsync(layout, rawDir, result.Raw, ct).ConfigureAwait(false);
            var originalNameFiles = await WriteFolderAsync(layout, originalNamesDir, result.RawOriginalNames, ct).ConfigureAwait(false);
            var applied = result.AppliesOriginalNames ? originalNameFiles : rawFiles;
            var appliedObjects = result.AppliesOriginalNames ? result.RawOriginalNames : result.Raw;
            var warnings = drift.Warnings.Concat(result.Plan.Warnings).ToList();
            log.Info($"transformed {item.Namespace}/{item.Name} -> {result.Plan.TargetNamespace}/{result.Plan.TargetName} ({result.Plan.Strategy})");
            foreach (var warning in warnings)
            {
                log.Warn($"{item.Namespace}/{item.Name}: {warning}");
            }

            return result.Plan with
            {
                Namespace = item.Namespace,
                Name = item.Name,
                SourceMode = item.Mode,
                Status = ItemStatuses.Ok,
                Error = null,
                ApplyDir = layout.Relative(result.AppliesOriginalNames ? originalNamesDir : rawDir),
                Files = applied,
                Create = appliedObjects.OrderBy(o => Order(o)).Select(o => new ObjectRef(o.Kind()!, o.ApiVersion()!, o.Name(), o.Namespace())).ToList(),
                Warnings = warnings,
            };
        }
        catch (TransformRefusedException ex)
        {
            return refused(ex.Message);
        }
        catch (ManifestFormatException ex)
        {
            return refused(ex.Message);
        }
        catch (WorkspacePathException ex)
        {
            return refused(ex.Message);
        }
    }

    private static int Order(JsonObject obj) => ManifestFileNames.IsTokenSecret(obj) ? ManifestFileNames.TokenSecretOrder : ManifestFileNames.Order(obj.Kind()!);

    /// <summary>Every generated name must be a DNS-1123 label; refusing is safer than truncating into a collision.</summary>
    private static void CheckNames(TransformResult result)
    {
        foreach (var obj in result.Raw.Concat(result.RawOriginalNames))
        {
            // The rule each kind's name must follow on the API server (and, for runtimes, in KServe's label values).
            var problem = obj.Kind() switch
            {
                "InferenceService" or "Namespace" => NameLimits.LabelProblem(obj.Name()),
                "ServingRuntime" => NameLimits.SubdomainProblem(obj.Name(), NameLimits.MaxLabel),
                _ => NameLimits.SubdomainProblem(obj.Name()),
            };
            if (problem is not null)
            {
                throw new TransformRefusedException($"generated {obj.Kind()} name '{obj.Name()}' {problem}");
            }
        }
    }

    private static async Task<List<SavedObject>> LoadOriginalsAsync(WorkspaceLayout layout, ExportedItem exported, CancellationToken ct)
    {
        var result = new List<SavedObject>();
        foreach (var file in exported.Files)
        {
            var path = layout.Absolute(file.Path);
            var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            if (Hashing.Sha256Hex(text) != file.Sha256)
            {
                throw new TransformRefusedException($"{file.Path} changed since export (sha256 differs); run export again");
            }

            if (Yaml.ParseSingle(text, file.Path) is not JsonObject obj)
            {
                throw new TransformRefusedException($"{file.Path} holds no object");
            }

            result.Add(new SavedObject(file.Role, file.Path, obj));
        }

        if (!result.Any(o => o.Role == ExportRoles.Isvc))
        {
            throw new TransformRefusedException("export saved no InferenceService for this item");
        }

        return result;
    }

    private static async Task<List<PlannedFile>> WriteFolderAsync(WorkspaceLayout layout, string dir, List<JsonObject> objects, CancellationToken ct)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        var files = new List<PlannedFile>();
        foreach (var obj in objects.OrderBy(Order).ThenBy(o => o.Name(), StringComparer.Ordinal))
        {
            var path = layout.ObjectFile(dir, obj.Kind()!, obj.Name(), obj.Namespace(), ManifestFileNames.For(obj.Kind()!, obj.Name(), ManifestFileNames.IsTokenSecret(obj)));
            var text = Yaml.Serialize(obj);
            await WorkspaceDocuments.WriteTextAtomicAsync(path, text, cancellationToken: ct).ConfigureAwait(false);
            files.Add(new PlannedFile(layout.Relative(path), Hashing.Sha256Hex(text), obj.Kind()!, obj.Name(), obj.Namespace()));
        }

        return files;
    }

    /// <summary>
    /// Which ISVCs still use each original runtime once the planned migrations are done. A runtime is safe to
    /// delete only when nothing remains on it: the upstream script deletes shared runtimes regardless.
    /// </summary>
    private static List<RuntimeUsage> RuntimeUsages(Inventory inventory, List<PlanItem> items)
    {
        var migrated = items.Where(i => i.Status == ItemStatuses.Ok).Select(i => (i.Namespace, i.Name)).ToHashSet();
        var usersOf = inventory.Items.Where(i => i.Facts.Runtime is not null).ToLookup(i => (i.Namespace, i.Facts.Runtime!), i => i.Name);
        return inventory.Items
            .Where(i => i.Facts.Runtime is not null && migrated.Contains((i.Namespace, i.Name)))
            .GroupBy(i => (i.Namespace, Runtime: i.Facts.Runtime!))
            .Select(g =>
            {
                var users = usersOf[(g.Key.Namespace, g.Key.Runtime)].ToList();
                var migratedUsers = users.Where(u => migrated.Contains((g.Key.Namespace, u))).Order(StringComparer.Ordinal).ToList();
                var still = users.Except(migratedUsers).Order(StringComparer.Ordinal).ToList();
                return new RuntimeUsage(g.Key.Namespace, g.Key.Runtime, migratedUsers, still, still.Count == 0);
            })
            .OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Copies export's sha256 of each backup into the plan, so approving the plan approves the exact backups apply
    /// (in-place) and cleanup delete against.
    /// </summary>
    private static PlanItem RecordBackupHashes(PlanItem item, BackupHashes backups)
    {
        PlannedDeletion WithHash(PlannedDeletion deletion) => deletion with { BackupSha256 = deletion.BackupSha256 ?? backups.Exported(deletion.BackupFile) };
        return item with
        {
            DeleteOnCleanup = item.DeleteOnCleanup.Select(WithHash).ToList(),
            DeleteBeforeApply = item.DeleteBeforeApply.Select(WithHash).ToList(),
        };
    }

    private static PlanItem ProtectSharedRuntimes(PlanItem item, Dictionary<(string Namespace, string Name), RuntimeUsage> runtimes)
    {
        var keep = item.Keep.ToList();
        var deletions = new List<PlannedDeletion>();
        foreach (var deletion in item.DeleteOnCleanup)
        {
            var runtimeName = deletion.Kind == "ServingRuntime" ? deletion.Name : deletion.OnlyWithRuntime;
            var usage = runtimeName is null ? null : runtimes.GetValueOrDefault((deletion.Namespace ?? "", runtimeName));
            if (usage is { SafeToDelete: false })
            {
                keep.Add(new PlannedKeep(deletion.Kind, deletion.Name, deletion.Namespace, deletion.Kind == "ServingRuntime" ? $"still used by {string.Join(", ", usage.StillUsedBy)}" : $"belongs to ServingRuntime {runtimeName}, still used by {string.Join(", ", usage.StillUsedBy)}"));
            }
            else
            {
                deletions.Add(deletion);
            }
        }

        return item with { DeleteOnCleanup = deletions, Keep = keep };
    }
}
