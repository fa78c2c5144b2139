using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Cleanup;

public sealed class CleanupGroupsTests
{
    private static PlanItem Item(string ns, string name, params PlannedDeletion[] deletions) =>
        new() { Namespace = ns, Name = name, DeleteOnCleanup = [new PlannedDeletion("InferenceService", "serving.kserve.io/v1beta1", name, ns, "original", $"originals/{ns}/{name}/isvc.yaml"), .. deletions] };

    private static PlannedDeletion Runtime(string ns, string name) => new("ServingRuntime", "serving.kserve.io/v1alpha1", name, ns, "original", $"originals/{ns}/{name}.yaml");

    private static InventoryItem Fact(string ns, string name, string? runtime, string? resolvedBy = "spec") =>
        new() { Namespace = ns, Name = name, Facts = new IsvcFacts { Runtime = runtime, RuntimeResolvedBy = resolvedBy } };

    [Fact]
    public void Items_with_nothing_in_common_are_groups_of_their_own_in_plan_order()
    {
        var items = new[] { Item("ns", "a", Runtime("ns", "rt-a")), Item("ns", "b", Runtime("ns", "rt-b")), Item("other", "a", Runtime("other", "rt-a")) };
        var inventory = new Inventory { Items = [Fact("ns", "a", "rt-a"), Fact("ns", "b", "rt-b"), Fact("other", "a", "rt-a")] };

        Assert.Equal([[0], [1], [2]], CleanupGroups.Of(items, inventory));
    }

    [Fact]
    public void Items_on_one_runtime_share_a_group_whether_they_delete_it_keep_it_or_only_run_on_it()
    {
        var auth = new PlannedDeletion("RoleBinding", "rbac.authorization.k8s.io/v1", "rt-view", "ns", "original", "x.yaml") { OnlyWithRuntime = "rt-shared" };
        var items = new[]
        {
            Item("ns", "deletes", Runtime("ns", "rt-shared")),
            Item("ns", "alone", Runtime("ns", "rt-alone")),
            Item("ns", "runs-on-it"),
            Item("ns", "keeps") with { Keep = [new PlannedKeep("Secret", "shared-secret", "ns", "used by others")] },
            Item("ns", "auth-only", auth),
            Item("ns", "keeps-too") with { Keep = [new PlannedKeep("Secret", "shared-secret", "ns", "used by others")] },
        };
        var inventory = new Inventory
        {
            Items = [Fact("ns", "deletes", "rt-shared"), Fact("ns", "alone", "rt-alone"), Fact("ns", "runs-on-it", "rt-shared"), Fact("ns", "keeps", "rt-k"), Fact("ns", "auth-only", "rt-other"), Fact("ns", "keeps-too", "rt-k2")],
        };

        Assert.Equal([[0, 2, 4], [1], [3, 5]], CleanupGroups.Of(items, inventory));
    }

    [Fact]
    public void An_isvc_that_picks_its_runtime_by_format_joins_every_runtime_deletion_of_its_namespace()
    {
        var items = new[] { Item("ns", "a", Runtime("ns", "rt-a")), Item("ns", "b", Runtime("ns", "rt-b")), Item("ns", "by-format"), Item("elsewhere", "c", Runtime("elsewhere", "rt-c")) };
        var inventory = new Inventory { Items = [Fact("ns", "a", "rt-a"), Fact("ns", "b", "rt-b"), Fact("ns", "by-format", "rt-a", "auto-select"), Fact("elsewhere", "c", "rt-c")] };

        Assert.Equal([[0, 1, 2], [3]], CleanupGroups.Of(items, inventory));
    }

    [Fact]
    public void Without_an_inventory_every_namespace_is_one_group()
    {
        var items = new[] { Item("ns", "a", Runtime("ns", "rt-a")), Item("ns", "b", Runtime("ns", "rt-b")), Item("other", "c", Runtime("other", "rt-c")) };

        Assert.Equal([[0, 1], [2]], CleanupGroups.Of(items, null));
    }
}
