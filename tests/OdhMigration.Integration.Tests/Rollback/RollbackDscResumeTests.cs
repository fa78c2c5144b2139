using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.DscFinalize;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>
/// A rollback whose approved plan refuses the originals (dsc-finalize removed Serverless) and restores the DSC/DSCI,
/// killed after the DSC restore: the resumed run must plan from the DSC as the approved plan saw it (the restored one
/// hosts Serverless again, which would change the plan and its sha256), carry out exactly that plan and converge.
/// </summary>
public sealed class RollbackDscResumeTests
{
    private const string Ns = "fraud-detection";

    [Fact]
    public async Task A_rollback_killed_after_the_dsc_restore_resumes_with_the_same_approval_and_converges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-basic.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", "in-place", ct: ct);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync(ct: ct)).ExitCode);
        var before = await SpecsAsync(sim);
        var finalize = await new DscFinalizeEngine(sim.Cluster, pipeline.Log).RunAsync(new DscFinalizeOptions(), pipeline.Layout, ct);
        Assert.True(finalize.ExitCode == ExitCodes.Success, $"{finalize.Summary}\n{pipeline.Logs}");
        Assert.NotEqual(before, await SpecsAsync(sim));
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);

        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true }, ct);
        var sha = dry.Results["rollback-plan-sha256"];
        var planned = await pipeline.ReportAsync();
        Assert.NotEmpty(planned.Items);
        Assert.All(planned.Items, i => Assert.Contains("can no longer host the Serverless original", i.Reason, StringComparison.Ordinal));
        Assert.Equal(["DataScienceCluster", "DSCInitialization"], planned.Cluster.Select(c => c.Kind));

        // Every run dies after its first write: the first after the DSC restore, the second after the DSCI restore.
        var approved = RollbackSupport.Fast with { ExpectRollbackSha256 = sha };
        var (outcome, kills) = await RollbackSupport.RunKilledUntilDoneAsync(sim.Cluster, pipeline.Layout, pipeline.Log, approved, ct);

        Assert.Equal(2, kills);
        Assert.NotNull(outcome);
        Assert.Equal(sha, outcome.Results["rollback-plan-sha256"]);

        // The approved plan, exactly: the DSC/DSCI restored, the originals still refused (not recreated: the plan the
        // approvers saw did not name them), so exit 1 as the uninterrupted run gives.
        Assert.True(outcome.ExitCode == ExitCodes.PartialFailure, $"{outcome.Summary}\n{pipeline.Logs}");
        Assert.Equal(before, await SpecsAsync(sim));
        var report = await pipeline.ReportAsync();
        Assert.Equal(sha, report.PlanSha256);
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.Refused, i.Status));
        Assert.All(report.Cluster, c => Assert.Contains(c.Outcome, new[] { RollbackOutcomes.Done, RollbackOutcomes.AlreadyDone }));
        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, Ns));

        // Once the DSC hosts Serverless again, a new dry run plans the originals: that is a new plan to approve.
        var next = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true }, ct);
        Assert.NotEqual(sha, next.Results["rollback-plan-sha256"]);
        Assert.All((await pipeline.ReportAsync()).Items, i => Assert.Equal(RollbackOutcomes.Planned, i.Status));
    }

    /// <summary>Both specs with their keys sorted: a merge patch may leave the same content in another order.</summary>
    private static async Task<(string Dsc, string Dsci)> SpecsAsync(SimulatedCluster sim) =>
        (Canonical((await sim.Cluster.GetAsync(Kinds.DataScienceCluster, null, "default-dsc"))!["spec"])!.ToJsonString(),
         Canonical((await sim.Cluster.GetAsync(Kinds.DSCInitialization, null, "default-dsci"))!["spec"])!.ToJsonString());

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
