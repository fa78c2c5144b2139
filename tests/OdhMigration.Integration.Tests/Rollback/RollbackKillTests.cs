using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>A rollback killed after every single write it makes, each time resumed by a new run, converges to the same end.</summary>
public sealed class RollbackKillTests
{
    private const string Ns = "ml-team";

    [Theory]
    [InlineData("side-by-side")]
    [InlineData("in-place")]
    public async Task A_rollback_killed_after_each_write_and_resumed_converges(string strategy)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", strategy);
        var before = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.Equal(ExitCodes.Success, (await pipeline.CleanupAsync(validate.Results["validation-sha256"])).ExitCode);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        var approved = RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] };

        var (outcome, kills) = await RollbackSupport.RunKilledUntilDoneAsync(sim.Cluster, pipeline.Layout, pipeline.Log, approved, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome);
        Assert.True(outcome.ExitCode == ExitCodes.Success, $"final run: {outcome.Summary}\n{pipeline.Logs}");
        Assert.True(kills >= 3, $"only {kills} kill(s): the test did not interrupt the rollback");
        var after = await RollbackSupport.ObjectsAsync(sim.Cluster, Ns);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, content) in before)
        {
            Assert.True(content == after[key], $"{key} differs after the resumed rollback:\nbefore: {content}\nafter:  {after[key]}");
        }

        var report = await pipeline.ReportAsync();
        Assert.All(report.Items, i => Assert.Equal(RollbackOutcomes.RolledBack, i.Status));

        // The set-owner steps were killed and resumed too: the auth objects are owned by the recreated ISVC.
        var isvc = await sim.Cluster.GetAsync(OdhMigration.Core.Manifests.Kinds.InferenceService, Ns, RollbackOwners.Isvc, TestContext.Current.CancellationToken);
        await RollbackOwners.AssertOwnedAsync(sim.Cluster, Ns, OdhMigration.Core.Manifests.Manifest.Uid(isvc!)!);
    }
}
