using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>Runs rollback against the simulator and captures the objects a migration touches, to compare before and after.</summary>
internal static class RollbackSupport
{
    public static RollbackOptions Fast => new() { Timeout = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(50) };

    public static Task<StageOutcome> RollbackAsync(this Pipeline pipeline, ICluster cluster, RollbackOptions? options = null, CancellationToken ct = default) =>
        new RollbackEngine(cluster, pipeline.Log).RunAsync(options ?? Fast, pipeline.Layout, ct);

    /// <summary>Dry run, then the real run bound to the dry run's sha256.</summary>
    public static async Task<StageOutcome> ApprovedRollbackAsync(this Pipeline pipeline, ICluster cluster)
    {
        var dry = await pipeline.RollbackAsync(cluster, Fast with { DryRun = true });
        return await pipeline.RollbackAsync(cluster, Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
    }

    /// <summary>
    /// Runs the approved rollback again and again, each run dying after its first write, until one finishes: the next
    /// run must pick up from the ledger whatever the killed one did. Its outcome, and how many runs were killed.
    /// </summary>
    public static async Task<(StageOutcome Outcome, int Kills)> RunKilledUntilDoneAsync(ICluster cluster, WorkspaceLayout layout, IStageLog log, RollbackOptions approved, CancellationToken ct)
    {
        var kills = 0;
        for (var run = 0; run < 60; run++)
        {
            try
            {
                return (await new RollbackEngine(new KillingCluster(cluster, killAfterWrites: 1), log).RunAsync(approved, layout, ct), kills);
            }
            catch (KilledException)
            {
                kills++;
            }
        }

        throw new InvalidOperationException($"the rollback did not finish in 60 runs ({kills} killed)");
    }

    public static async Task<RollbackReport> ReportAsync(this Pipeline pipeline) =>
        (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Rollback, RollbackReport.DocumentKind, RollbackReport.CurrentSchemaVersion, RollbackReportJsonContext.Default.RollbackReport)).Document;

    private static readonly ResourceKind[] NamespacedKinds = [Kinds.InferenceService, Kinds.ServingRuntime, Kinds.ServiceAccount, Kinds.Role, Kinds.RoleBinding, Kinds.Secret, Kinds.ConfigMap];

    // Set by the API server or controllers on every write, or naming another object's uid: not part of what was restored.
    private static readonly string[] Volatile = ["kubectl.kubernetes.io/last-applied-configuration", "kubernetes.io/service-account.uid"];

    /// <summary>Every object of the kinds a migration touches in the namespace (and Routes in istio-system): key, then its content without server fields.</summary>
    public static async Task<SortedDictionary<string, string>> ObjectsAsync(IClusterReader cluster, string ns)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in NamespacedKinds)
        {
            foreach (var obj in await cluster.ListAsync(kind, ns))
            {
                result[$"{kind.Kind} {ns}/{obj.Name()}"] = Content(obj);
            }
        }

        foreach (var route in await cluster.ListAsync(Kinds.Route, "istio-system"))
        {
            result[$"Route istio-system/{route.Name()}"] = Content(route);
        }

        return result;
    }

    /// <summary>The object's uids by key, to show what was left untouched.</summary>
    public static async Task<Dictionary<string, string?>> UidsAsync(IClusterReader cluster, string ns)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var kind in NamespacedKinds)
        {
            foreach (var obj in await cluster.ListAsync(kind, ns))
            {
                result[$"{kind.Kind} {ns}/{obj.Name()}"] = obj.Uid();
            }
        }

        return result;
    }

    /// <summary>The ISVC once its Ready condition is True (the simulator's KServe turns a recreated original Ready after its delay).</summary>
    public static async Task<JsonObject> WaitServingAsync(IClusterReader cluster, string ns, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var isvc = await cluster.GetAsync(Kinds.InferenceService, ns, name);
            if (ConditionStatus(isvc, "Ready") == "True")
            {
                return isvc!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"InferenceService {ns}/{name} not Ready after rollback: {isvc?["status"]?.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static string? ConditionStatus(JsonObject? isvc, string type) =>
        (isvc?.At("status", "conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type)?.Str("status");

    private static string Content(JsonObject obj)
    {
        var view = new JsonObject();
        foreach (var field in new[] { "spec", "rules", "subjects", "roleRef", "type" })
        {
            if (obj[field] is { } value)
            {
                view[field] = value.DeepClone();
            }
        }

        foreach (var map in new[] { "labels", "annotations" })
        {
            if (obj.At("metadata", map) is JsonObject values)
            {
                var copy = (JsonObject)values.DeepClone();
                foreach (var key in Volatile)
                {
                    copy.Remove(key);
                }

                view[map] = copy;
            }
        }

        return view.ToJsonString();
    }
}
