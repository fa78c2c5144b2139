using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// Discover's pre-flight, answered with exactly what tekton/rbac grants export: without the optional
/// cluster-capacity grant it warns that --waves auto will not be possible and why, with it it says nothing; discover
/// succeeds either way and the optional permission is never reported as a stage that would be refused.
/// </summary>
public sealed class PreflightCapacityGrantTests
{
    /// <summary>
    /// Everything in the migrated namespace and istio-system (so no stage would be refused), and in all namespaces only
    /// what tekton/rbac grants export: whether nodes and pods may be listed cluster-wide is the grant's alone.
    /// </summary>
    private static AccessRules ExportClusterWide(TektonRbac rbac) =>
        new([.. rbac.For("export").Rules, new AccessRule(Namespace: "ml-team"), new AccessRule(Namespace: "istio-system")], false);

    private static async Task<Core.Workspace.Documents.Inventory> DiscoverAsAsync(AccessRules rules)
    {
        // Only the access reviews are answered with the rules; discover itself may read everything it needs.
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml", new SimulatorOptions { Access = rules });
        using var pipeline = new Pipeline(sim);
        var (outcome, inventory) = await new DiscoverEngine(sim.Cluster, pipeline.Log)
            .RunAsync(new DiscoverOptions { Namespaces = ["ml-team"], Mode = "serverless" }, pipeline.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        return inventory;
    }

    [Fact]
    public async Task Without_the_grant_export_may_not_read_nodes_and_pods_and_discover_warns_waves_auto_is_not_possible()
    {
        var inventory = await DiscoverAsAsync(ExportClusterWide(TektonRbac.Load("ml-team")));

        Assert.Contains(inventory.Preflight, c => c is { Stage: "export", Verb: "list", Resource: "nodes", Namespace: null, Allowed: false, Optional: true });
        Assert.Contains(inventory.Preflight, c => c is { Stage: "export", Verb: "list", Resource: "pods", Namespace: null, Allowed: false, Optional: true });
        Assert.Contains(inventory.Preflight, c => c is { Resource: "resourcequotas", Namespace: "ml-team", Allowed: true, Optional: true });
        var warning = Assert.Single(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal));
        Assert.Contains("`--waves auto` will not be possible", warning, StringComparison.Ordinal);
        Assert.Contains("bind tekton/rbac/optional/cluster-capacity.yaml", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(inventory.Warnings, w => w.Contains("would be refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_grant_the_capacity_checks_pass_and_nothing_optional_is_said()
    {
        var inventory = await DiscoverAsAsync(ExportClusterWide(TektonRbac.Load("ml-team", ChainScenario.CapacityGrant)));

        var optional = inventory.Preflight.Where(c => c.Optional).ToList();
        Assert.Equal(["limitranges", "nodes", "pods", "resourcequotas"], optional.Select(c => c.Resource).Order(StringComparer.Ordinal));
        Assert.All(optional, c => Assert.True(c.Allowed, $"{c.Verb} {c.Resource} in {c.Namespace ?? "all namespaces"}"));
        Assert.DoesNotContain(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal));
        Assert.DoesNotContain(inventory.Warnings, w => w.Contains("would be refused", StringComparison.Ordinal));
    }
}
