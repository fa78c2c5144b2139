using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Apply;

/// <summary>
/// The plan's label changes on existing objects (ModelMesh in-place: the namespace's modelmesh-enabled to "false").
/// A change shared by several items is made only once every one of them is replaced: flipping it earlier would
/// stop ModelMesh serving an ISVC that has no replacement yet. The previous value is recorded for a rollback.
/// </summary>
internal sealed class LabelChanger(ICluster cluster, LedgerStore ledger, ApplyOptions options, IStageLog log)
{
    /// <summary>Returns the changes that could not be made, as messages.</summary>
    public async Task<List<string>> ApplyAsync(Plan plan, IReadOnlyCollection<ApplyItemResult> results, CancellationToken ct)
    {
        var problems = new List<string>();
        var done = results.Where(r => r.Status is ApplyItemStatus.Applied or ApplyItemStatus.AlreadyApplied or ApplyItemStatus.DryRun)
            .Select(r => (r.Namespace, r.Name)).ToHashSet();
        var groups = plan.Items.Where(i => i.Status == ItemStatuses.Ok)
            .SelectMany(i => i.LabelChanges.Select(c => (Item: i, Change: c)))
            .GroupBy(x => (x.Change.Kind, x.Change.ApiVersion, x.Change.Name, x.Change.Namespace, x.Change.Key, x.Change.To));
        foreach (var group in groups)
        {
            var (kindName, apiVersion, name, ns, key, to) = group.Key;
            var target = $"{kindName} {(ns is null ? "" : ns + "/")}{name} label {key}";
            var waiting = group.Where(x => !done.Contains((x.Item.Namespace, x.Item.Name))).Select(x => $"{x.Item.Namespace}/{x.Item.Name}").ToList();
            if (waiting.Count > 0)
            {
                log.Warn($"{target} left as is: {string.Join(", ", waiting)} not replaced yet ({group.First().Change.Reason})");
                continue;
            }

            var kind = Kinds.Find(apiVersion, kindName);
            try
            {
                var live = kind is null ? null : await cluster.GetAsync(kind, ns, name, ct).ConfigureAwait(false);
                if (kind is null || live is null)
                {
                    problems.Add($"{target}: object not found");
                    continue;
                }

                var current = live.Label(key);
                if (current == to)
                {
                    continue;
                }

                var record = ledger.Item(ns ?? name, "");
                var step = await ledger.IntentAsync(record, LedgerActions.MergeLabels, kindName, apiVersion, ns, name, $"{key}={to ?? "(removed)"}", new Dictionary<string, string?> { [key] = current }, ct).ConfigureAwait(false);
                var patched = await cluster.PatchAsync(kind, ns, name, PatchKind.Merge, NamespacePreparer.LabelPatch(new Dictionary<string, string?> { [key] = to }), new WriteOptions(options.DryRun, options.FieldManager), ct).ConfigureAwait(false);
                await ledger.CompleteAsync(record, step, LedgerStepStates.Done, patched.Uid(), patched.At("metadata").Str("resourceVersion"), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                log.Info($"{(options.DryRun ? "[dry-run] " : "")}{target}: {current ?? "(absent)"} -> {to ?? "(removed)"}");
            }
            catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException)
            {
                problems.Add($"{target}: {PlainErrors.Describe(ex)}");
                log.Error($"{target} could not be changed: {PlainErrors.Describe(ex)}");
            }
        }

        return problems;
    }
}
