using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// The one retry layer over the live client against the simulator, when a request was carried out and its answer lost
/// (processed-then-dropped), or refused before processing (500): creates are reconciled without a duplicate or a false
/// failure, deletes are found done, server-side apply is repeated. Requests are counted on the server.
/// </summary>
public sealed class LostAnswerTests
{
    private const string Ns = "ml-team";
    private static readonly RetryPolicy Fast = new(6, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(20));
    private static readonly WriteOptions Ours = new(FieldManager: "odh-migration");

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["app"] = "lost-answer" } },
        ["data"] = new JsonObject { ["k"] = value },
    };

    /// <summary>A seed whose fault sequence hits the first eligible request and spares the second (the injector draws a rate, then a kind).</summary>
    private static int SeedWhereOnlyTheFirstFaults(double rate)
    {
        for (var seed = 1; ; seed++)
        {
            var random = new Random(seed);
            if (random.NextDouble() < rate)
            {
                random.Next(1);
                if (random.NextDouble() >= rate)
                {
                    return seed;
                }
            }
        }
    }

    private static int Sent(SimulatedCluster sim, string verb, string resource) =>
        sim.Host.Requests.Recent.Count(r => r.Verb == verb && r.Resource == resource);

    [Fact]
    public async Task A_create_carried_out_before_its_answer_was_lost_is_reconciled_without_a_duplicate_or_a_failure()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        var cluster = new RetryingCluster(sim.Cluster, Fast);
        sim.Faults(new FaultSettings(Rate: 1, Kinds: [FaultSettings.ProcessedThenDroppedKind], Verbs: ["create"]));

        var created = await cluster.CreateAsync(ConfigMap("lost-create", "v"), Ours, TestContext.Current.CancellationToken);
        sim.Faults(FaultSettings.None);

        Assert.Equal(1, Sent(sim, "create", "configmaps"));
        var live = await sim.Cluster.GetAsync(Kinds.ConfigMap, Ns, "lost-create", TestContext.Current.CancellationToken);
        Assert.Equal(live!.Uid(), created.Uid());
        Assert.Equal("v", live.At("data").Str("k"));
    }

    [Fact]
    public async Task A_create_refused_with_a_500_before_processing_is_read_back_and_sent_again()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        var cluster = new RetryingCluster(sim.Cluster, Fast);
        sim.Faults(new FaultSettings(Rate: 0.5, Kinds: ["500"], Verbs: ["create"], Seed: SeedWhereOnlyTheFirstFaults(0.5)));

        var created = await cluster.CreateAsync(ConfigMap("refused-create", "v"), Ours, TestContext.Current.CancellationToken);
        sim.Faults(FaultSettings.None);

        Assert.Equal(2, Sent(sim, "create", "configmaps"));
        Assert.Equal(1, Sent(sim, "get", "configmaps"));
        Assert.Equal(created.Uid(), (await sim.Cluster.GetAsync(Kinds.ConfigMap, Ns, "refused-create", TestContext.Current.CancellationToken))!.Uid());
    }

    [Fact]
    public async Task A_lost_create_answer_over_someone_elses_object_is_the_ordinary_409_and_leaves_it_alone()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        var theirs = await sim.Cluster.CreateAsync(ConfigMap("theirs", "mine"), new WriteOptions(FieldManager: "someone-else"), TestContext.Current.CancellationToken);
        var cluster = new RetryingCluster(sim.Cluster, Fast);
        sim.Faults(new FaultSettings(Rate: 1, Kinds: [FaultSettings.ProcessedThenDroppedKind], Verbs: ["create"]));

        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.CreateAsync(ConfigMap("theirs", "ours"), Ours, TestContext.Current.CancellationToken));
        sim.Faults(FaultSettings.None);

        Assert.True(error.IsConflict, error.Message);
        var live = await sim.Cluster.GetAsync(Kinds.ConfigMap, Ns, "theirs", TestContext.Current.CancellationToken);
        Assert.Equal((theirs.Uid(), theirs.At("metadata").Str("resourceVersion"), "mine"), (live!.Uid(), live.At("metadata").Str("resourceVersion"), live.At("data").Str("k")));
    }

    [Fact]
    public async Task A_delete_carried_out_before_its_answer_was_lost_is_found_done()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        var doomed = await sim.Cluster.CreateAsync(ConfigMap("doomed", "v"), Ours, TestContext.Current.CancellationToken);
        var cluster = new RetryingCluster(sim.Cluster, Fast);
        sim.Faults(new FaultSettings(Rate: 1, Kinds: [FaultSettings.ProcessedThenDroppedKind], Verbs: ["delete"]));

        var deleted = await cluster.DeleteAsync(Kinds.ConfigMap, Ns, "doomed", new DeleteOptions(PreconditionUid: doomed.Uid()), TestContext.Current.CancellationToken);
        sim.Faults(FaultSettings.None);

        Assert.True(deleted);
        Assert.Equal(1, Sent(sim, "delete", "configmaps"));
        Assert.Null(await sim.Cluster.GetAsync(Kinds.ConfigMap, Ns, "doomed", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_server_side_apply_whose_answer_was_lost_is_sent_again_and_converges()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        var cluster = new RetryingCluster(sim.Cluster, Fast);
        sim.Faults(new FaultSettings(Rate: 0.5, Kinds: [FaultSettings.ProcessedThenDroppedKind], Verbs: ["patch"], Seed: SeedWhereOnlyTheFirstFaults(0.5)));

        var applied = await cluster.ApplyAsync(ConfigMap("applied", "v2"), Ours, TestContext.Current.CancellationToken);
        sim.Faults(FaultSettings.None);

        Assert.Equal(2, Sent(sim, "patch", "configmaps"));
        var live = await sim.Cluster.GetAsync(Kinds.ConfigMap, Ns, "applied", TestContext.Current.CancellationToken);
        Assert.Equal((applied.Uid(), "v2"), (live!.Uid(), live.At("data").Str("k")));
        Assert.Single(live.At("metadata", "managedFields")!.AsArray(), f => f!.Str("manager") == "odh-migration");
    }
}
