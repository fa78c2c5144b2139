using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Rollback;

/// <summary>
/// The original's auth objects were owned by the original InferenceService (ownerReferences to its uid). Recreated by
/// rollback, they are owned by the recreated one (its new uid), never by the old uid the garbage collector would take
/// them for.
/// </summary>
public sealed class RollbackOwnerTests
{
    private const string Ns = "ml-team";

    [Theory]
    [InlineData("side-by-side")]
    [InlineData("in-place")]
    public async Task Recreated_auth_objects_are_owned_by_the_recreated_isvc_and_survive_garbage_collection(string strategy)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Ns, "serverless", strategy);
        var oldUid = (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, RollbackOwners.Isvc))!.Uid()!;
        await RollbackOwners.AssertOwnedAsync(sim.Cluster, Ns, oldUid);
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.Equal(ExitCodes.Success, (await pipeline.CleanupAsync(validate.Results["validation-sha256"])).ExitCode);

        var rollback = await pipeline.ApprovedRollbackAsync(sim.Cluster);

        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: {rollback.Summary}\n{pipeline.Logs}");
        var newUid = (await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, RollbackOwners.Isvc))!.Uid()!;
        Assert.NotEqual(oldUid, newUid);
        await RollbackOwners.AssertOwnedAsync(sim.Cluster, Ns, newUid);
        var setOwner = (await pipeline.ReportAsync()).Items.SelectMany(i => i.Steps).Where(s => s.Action == RollbackActions.SetOwner).ToList();
        Assert.Equal(RollbackOwners.AuthObjects.Select(o => $"{o.Kind.Kind} {o.Name}").Order(), setOwner.Select(s => $"{s.Kind} {s.Name}").Order());
        Assert.All(setOwner, s => Assert.Equal(RollbackOutcomes.Done, s.Outcome));

        // The garbage collector has had its chance: they are still there, with the same uids.
        var uids = await RollbackSupport.UidsAsync(sim.Cluster, Ns);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.Equal(uids, await RollbackSupport.UidsAsync(sim.Cluster, Ns));
        await RollbackOwners.AssertOwnedAsync(sim.Cluster, Ns, newUid);
    }
}

/// <summary>The sample's auth objects owned by ISVC credit-scoring (serverless-team.yaml).</summary>
internal static class RollbackOwners
{
    public const string Isvc = "credit-scoring";

    public static readonly (ResourceKind Kind, string Name)[] AuthObjects =
        [(Kinds.ServiceAccount, "credit-scoring-sa"), (Kinds.Role, "credit-scoring-view-role"), (Kinds.RoleBinding, "credit-scoring-view")];

    /// <summary>Each auth object exists and names the ISVC with exactly <paramref name="uid"/> as its (only) InferenceService owner.</summary>
    public static async Task AssertOwnedAsync(IClusterReader cluster, string ns, string uid)
    {
        foreach (var (kind, name) in AuthObjects)
        {
            var obj = await cluster.GetAsync(kind, ns, name);
            Assert.True(obj is not null, $"{kind.Kind} {ns}/{name} is gone");
            var owners = obj.OwnerReferences().Where(r => r.Str("kind") == "InferenceService").ToList();
            var owner = Assert.Single(owners);
            Assert.Equal((Isvc, uid), (owner.Str("name"), owner.Str("uid")));
        }
    }
}
