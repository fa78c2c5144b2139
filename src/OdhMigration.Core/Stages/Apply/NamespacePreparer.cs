using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>
/// Namespaces first and one at a time (several ISVCs may share one): creates a missing target namespace, refuses an
/// existing one for new-namespace unless the plan allows it, and merge-patches planned labels (e.g. ModelMesh in-place
/// flips modelmesh-enabled to "false") instead of replacing the namespace. Steps are recorded under the ledger item
/// (namespace, "").
/// </summary>
internal sealed class NamespacePreparer(ICluster cluster, LedgerStore ledger, ApplyOptions options, IStageLog log)
{
    /// <summary>Returns, per item that cannot go on, the reason.</summary>
    public async Task<Dictionary<PlanItem, string>> PrepareAsync(Plan plan, IReadOnlyList<PlannedObjects> work, CancellationToken ct)
    {
        var refusals = new Dictionary<PlanItem, string>();
        var namespaces = work
            .SelectMany(w => w.Objects.Where(o => o.Kind() == "Namespace").Select(o => (Ns: o.Name(), Obj: (JsonObject?)o, w.Item))
                .Concat(RequiresNew(w.Item, plan) ? [(w.Item.TargetNamespace, (JsonObject?)null, w.Item)] : []))
            .GroupBy(x => x.Ns, StringComparer.Ordinal);

        foreach (var group in namespaces)
        {
            var ns = group.Key;
            var planned = group.Select(g => g.Obj).FirstOrDefault(o => o is not null);
            var items = group.Select(g => g.Item).Distinct().ToList();
            try
            {
                var error = await PrepareOneAsync(ns, planned, items.Any(i => RequiresNew(i, plan) && i.TargetNamespace == ns), ct).ConfigureAwait(false);
                if (error is not null)
                {
                    foreach (var item in items.Where(i => RequiresNew(i, plan)))
                    {
                        refusals[item] = error;
                    }
                }
            }
            catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException)
            {
                log.Error($"namespace {ns}: {PlainErrors.Describe(ex)}");
                foreach (var item in items)
                {
                    refusals[item] = $"namespace {ns}: {PlainErrors.Describe(ex)}";
                }
            }
        }

        return refusals;
    }

    /// <summary>new-namespace targets must not exist yet unless the plan says otherwise (transform --ignore-existing-ns).</summary>
    public static bool RequiresNew(PlanItem item, Plan plan) =>
        item.RequireNewTargetNamespace || (item.Strategy == Strategies.NewNamespace && !plan.Options.IgnoreExistingNamespace);

    private async Task<string?> PrepareOneAsync(string ns, JsonObject? planned, bool mustBeNew, CancellationToken ct)
    {
        var record = ledger.Item(ns, "");
        var write = new WriteOptions(options.DryRun, options.FieldManager);
        var live = await cluster.GetAsync(Kinds.Namespace, null, ns, ct).ConfigureAwait(false);
        if (live is null)
        {
            var obj = planned?.DeepCopy() ?? Manifest.NewObject(Kinds.Namespace, ns, null);
            var step = await ledger.IntentAsync(record, LedgerActions.Create, "Namespace", "v1", null, ns, cancellationToken: ct).ConfigureAwait(false);
            var created = await cluster.ApplyAsync(obj, write, ct).ConfigureAwait(false);
            await ledger.CompleteAsync(record, step, LedgerStepStates.Done, created.Uid(), created.At("metadata").Str("resourceVersion"), cancellationToken: ct).ConfigureAwait(false);
            log.Info($"{(options.DryRun ? "[dry-run] " : "")}created namespace {ns}");
            return null;
        }

        var ours = ledger.WroteObject("Namespace", null, ns, live.Uid());
        if (!ours && mustBeNew)
        {
            return $"target namespace {ns} already exists; the new-namespace strategy expects a fresh one (run transform with --ignore-existing-ns to allow it)";
        }

        var wanted = planned?.Labels() ?? new Dictionary<string, string>();
        var current = live.Labels();
        var changes = wanted.Where(kv => !current.TryGetValue(kv.Key, out var v) || v != kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return null;
        }

        var previous = changes.Keys.ToDictionary(k => k, k => current.TryGetValue(k, out var v) ? v : null, StringComparer.Ordinal);
        var detail = string.Join(", ", changes.Select(kv => $"{kv.Key}={kv.Value}"));
        var labelStep = await ledger.IntentAsync(record, LedgerActions.MergeLabels, "Namespace", "v1", null, ns, detail, previous, ct).ConfigureAwait(false);
        var patched = await cluster.PatchAsync(Kinds.Namespace, null, ns, PatchKind.Merge, LabelPatch(changes!), write, ct).ConfigureAwait(false);
        await ledger.CompleteAsync(record, labelStep, LedgerStepStates.Done, patched.Uid(), patched.At("metadata").Str("resourceVersion"), cancellationToken: ct).ConfigureAwait(false);
        log.Info($"{(options.DryRun ? "[dry-run] " : "")}namespace {ns}: labels {detail}");
        return null;
    }

    /// <summary>A merge patch of labels; a null value removes the label.</summary>
    public static string LabelPatch(IReadOnlyDictionary<string, string?> labels)
    {
        var map = new JsonObject();
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return new JsonObject { ["metadata"] = new JsonObject { ["labels"] = map } }.ToJsonString();
    }
}
