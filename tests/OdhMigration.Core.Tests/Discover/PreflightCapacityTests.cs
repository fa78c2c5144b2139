using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Discover;

/// <summary>
/// The pre-flight also asks what export reads only for --waves auto (nodes and pods in all namespaces, each namespace's
/// ResourceQuotas) and reports a refusal as an optional warning, never as a stage that would be refused.
/// </summary>
public sealed class PreflightCapacityTests
{
    private static async Task<Inventory> DiscoverAsync(CountingCluster cluster, params string[] namespaces)
    {
        using var ws = new TempWorkspace();
        var (outcome, inventory) = await new DiscoverEngine(cluster, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = namespaces }, ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        return inventory;
    }

    private static CountingCluster Cluster(Func<string, Core.Manifests.ResourceKind, string?, bool> deny) =>
        new(Snapshot(Namespace("p"), Namespace("q"), Dsci(), Runtime("ovms", "p"), Isvc("a", "p"), Runtime("ovms", "q"), Isvc("b", "q"))) { Deny = deny };

    [Fact]
    public async Task With_the_capacity_grant_the_optional_checks_are_allowed_and_nothing_is_said()
    {
        var inventory = await DiscoverAsync(Cluster((_, _, _) => false), "p", "q");

        var optional = inventory.Preflight.Where(c => c.Optional).ToList();
        Assert.Equal(
            [("limitranges", "p"), ("limitranges", "q"), ("nodes", null), ("pods", null), ("resourcequotas", "p"), ("resourcequotas", "q")],
            optional.Select(c => (c.Resource, c.Namespace)).Order().ToList());
        Assert.All(optional, c => Assert.Equal(("export", "list", true), (c.Stage, c.Verb, c.Allowed)));
        Assert.DoesNotContain(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal) || w.Contains("would be refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_nodes_and_pods_it_warns_that_waves_auto_will_not_be_possible_and_why_but_refuses_no_stage()
    {
        var inventory = await DiscoverAsync(Cluster((verb, kind, ns) => ns is null && kind.Plural is "nodes" or "pods"), "p");

        Assert.Contains(inventory.Preflight, c => c is { Resource: "nodes", Namespace: null, Allowed: false, Optional: true });
        Assert.Contains(inventory.Preflight, c => c is { Resource: "pods", Namespace: null, Allowed: false, Optional: true });
        var warning = Assert.Single(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal));
        Assert.Equal(
            "optional: export may not list nodes and pods in all namespaces, so capacity.json will not record the cluster's free capacity and `--waves auto` will not be possible (transform refuses it); bind tekton/rbac/optional/cluster-capacity.yaml to allow it, or plan waves with --wave-size N",
            warning);
        Assert.Empty(PreflightChecker.Refusals(inventory.Preflight));
        Assert.DoesNotContain(inventory.Warnings, w => w.Contains("would be refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_namespace_whose_quotas_may_not_be_listed_gets_its_own_optional_warning()
    {
        var inventory = await DiscoverAsync(Cluster((_, kind, ns) => kind.Plural == "resourcequotas" && ns == "q"), "p", "q");

        var warning = Assert.Single(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal));
        Assert.Equal("optional: export may not list resourcequotas in q, so its quota limits will be unknown to `--waves auto` (the waves may not fit the namespace's quotas)", warning);
        Assert.Contains(inventory.Preflight, c => c is { Resource: "resourcequotas", Namespace: "p", Allowed: true, Optional: true });
    }

    [Fact]
    public async Task A_namespace_whose_limitranges_may_not_be_listed_gets_its_own_optional_warning()
    {
        var inventory = await DiscoverAsync(Cluster((_, kind, ns) => kind.Plural == "limitranges" && ns == "p"), "p", "q");

        var warning = Assert.Single(inventory.Warnings, w => w.StartsWith("optional:", StringComparison.Ordinal));
        Assert.Equal("optional: export may not list limitranges in p, so the defaults its LimitRanges give containers will be unknown to `--waves auto` (a container stating no limit under a limits.* quota is refused)", warning);
        Assert.Empty(PreflightChecker.Refusals(inventory.Preflight));
    }

    [Fact]
    public async Task A_required_refusal_is_still_a_refusal_next_to_the_optional_warning()
    {
        var inventory = await DiscoverAsync(Cluster((verb, kind, ns) => (verb == "delete" && kind.Plural == "routes") || kind.Plural == "nodes"), "p");

        Assert.Equal(["cleanup would be refused: delete routes.route.openshift.io in istio-system"], PreflightChecker.Refusals(inventory.Preflight));
        Assert.Contains(inventory.Warnings, w => w.StartsWith("optional: export may not list nodes in all namespaces", StringComparison.Ordinal));
        Assert.False(inventory.Preflight.Single(c => c.Resource == "routes.route.openshift.io" && c.Verb == "delete").Optional);
    }
}
