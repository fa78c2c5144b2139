using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// The other half of least privilege: every (verb, API group, resource) that tekton/rbac grants a stage's account must be
/// one the stage actually asks the API server for in the scenarios (all four strategies, side-by-side with --stop-original and no cleanup, finalize with every option on),
/// and every request it makes must be granted. A role that gains a verb or resource no stage uses fails here.
/// </summary>
public sealed class StageGrantUsageTests
{
    private static readonly string[] Stages = ["discover", "export", "transform", "apply", "validate", "cleanup", "dsc-finalize", "rollback"];

    /// <summary>
    /// Grants for code paths the scenarios do not reach, each with the reason and where the code asks for it. Kept
    /// short on purpose; an entry that is no longer granted fails the test too, so the list cannot go stale.
    /// </summary>
    private static readonly (string Stage, string Grant, string Why)[] BeyondTheScenarios =
    [
        ("validate", "watch serving.kserve.io/inferenceservices", "ReadinessWaiter watches a replacement that is not Ready yet (the samples are Ready on the first get)"),
        ("validate", "get serving.kserve.io/servingruntimes", "ValidateEngine reads the runtime of a replacement that is not Ready, to say why"),
        ("validate", "list /pods", "ValidateEngine lists the pods of a replacement that is not Ready, to say why"),
        ("validate", "get /secrets", "--request: the inference smoke test reads the new token Secret by name"),
        ("apply", "create /namespaces", "new-namespace: server-side apply of an absent target Namespace is authorised as create as well (the simulator logs only the patch)"),
        ("apply", "create route.openshift.io/routes", "in-place rollback: the original's Route is recreated from its backup by server-side apply (create when absent)"),
        ("apply", "patch route.openshift.io/routes", "in-place rollback: the same server-side apply"),
        ("apply", "delete /serviceaccounts", "in-place with token auth: the original's ServiceAccount is deleted before its same-named replacement (CleanupPlanner.BeforeApply)"),
        ("apply", "delete /secrets", "in-place with token auth: the original's token Secret, likewise"),
        ("apply", "delete rbac.authorization.k8s.io/roles", "in-place with token auth: the original's Role, likewise"),
        ("apply", "delete rbac.authorization.k8s.io/rolebindings", "in-place with token auth: the original's RoleBinding, likewise"),
        ("cleanup", "list serving.kserve.io/servingruntimes", "before deleting a runtime, CleanupEngine lists the runtimes when an ISVC names none (KServe picks by format)"),
        ("cleanup", "delete rbac.authorization.k8s.io/roles", "a ModelMesh runtime's token auth objects (ServiceAccount, Role, RoleBinding, Secret) go with the runtime"),
        ("rollback", "delete /serviceaccounts", "a replacement's auth objects: the ledger records them, but the garbage collector usually removes them with the replacement ISVC they are owned by, deleted first (the step then finds them already gone)"),
        ("rollback", "delete rbac.authorization.k8s.io/roles", "likewise"),
        ("rollback", "delete rbac.authorization.k8s.io/rolebindings", "likewise"),
        ("rollback", "get datasciencecluster.opendatahub.io/datascienceclusters", "after dsc-finalize (optional/rollback-cluster.yaml): RollbackStepRunner.RestoreClusterAsync reads the DSC before patching its spec back"),
        ("rollback", "patch datasciencecluster.opendatahub.io/datascienceclusters", "after dsc-finalize: the DSC's spec from dsc-finalize's backup, as a merge patch"),
        ("rollback", "get dscinitialization.opendatahub.io/dscinitializations", "after dsc-finalize: likewise for the DSCI"),
        ("rollback", "patch dscinitialization.opendatahub.io/dscinitializations", "after dsc-finalize: likewise for the DSCI"),
    ];

    /// <summary>
    /// Entries of <see cref="BeyondTheScenarios"/> a scenario may or may not use, depending on a race it does not
    /// control: in-place deletes the original ISVC, and the garbage collector removes the auth objects and token
    /// Secret that ISVC owns; apply deletes whichever of them is still there when it gets to it. Rollback likewise
    /// with the replacement's auth objects after it deleted the replacement ISVC. So "a scenario now
    /// uses it" is no reason to drop these entries (seen under load: apply deleted the token Secret itself).
    /// </summary>
    private static readonly HashSet<string> RacingTheGarbageCollector =
    [
        "apply delete /serviceaccounts", "apply delete /secrets",
        "apply delete rbac.authorization.k8s.io/roles", "apply delete rbac.authorization.k8s.io/rolebindings",
        "rollback delete /serviceaccounts", "rollback delete rbac.authorization.k8s.io/roles", "rollback delete rbac.authorization.k8s.io/rolebindings",
    ];

    [Fact]
    public async Task Every_granted_verb_and_resource_is_used_by_its_stage_and_every_request_is_granted()
    {
        var used = Stages.ToDictionary(s => s, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var scenario in ChainScenario.All)
        {
            foreach (var (stage, requests) in await StageChain.RunAsync(scenario))
            {
                used[stage].UnionWith(requests.Where(r => r.Kind() is not null).Select(r => r.Kind()!));
            }
        }

        used["dsc-finalize"].UnionWith((await FinalizeChain.RunAsync()).Where(r => r.Kind() is not null).Select(r => r.Kind()!));

        var optional = Directory.GetFiles(Path.Combine(TektonRbac.Folder, "optional"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToArray();
        var rbac = TektonRbac.Load(TektonRbac.ExampleNamespace, optional);
        var problems = new List<string>();
        foreach (var stage in Stages)
        {
            var granted = rbac.For(stage).Rules.Select(r => $"{r.Verb} {r.Group}/{r.Resource}").ToHashSet(StringComparer.Ordinal);
            var beyond = BeyondTheScenarios.Where(b => b.Stage == stage).Select(b => b.Grant).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(granted.Except(used[stage]).Except(beyond).Order(StringComparer.Ordinal).Select(g => $"odh-migration-{stage} is granted '{g}', which no scenario of the stage uses"));
            problems.AddRange(beyond.Except(granted).Order(StringComparer.Ordinal).Select(g => $"BeyondTheScenarios lists '{g}' for {stage}, which is no longer granted: remove the entry"));
            problems.AddRange(beyond.Intersect(used[stage]).Where(g => !RacingTheGarbageCollector.Contains($"{stage} {g}")).Order(StringComparer.Ordinal).Select(g => $"BeyondTheScenarios lists '{g}' for {stage}, which a scenario now uses: remove the entry"));
            problems.AddRange(used[stage].Except(granted).Order(StringComparer.Ordinal).Select(g => $"{stage} asks for '{g}', which odh-migration-{stage} is not granted"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\nRequests per stage:\n" + string.Join("\n", used.Select(u => $"{u.Key}: {string.Join(", ", u.Value)}")));
    }
}

internal static class RequestRecordKinds
{
    /// <summary>"verb group/resource[/subresource]" of a resource request, from its path as the API server reads it; null for discovery.</summary>
    public static string? Kind(this RequestRecord record)
    {
        var segments = record.Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        int rest;
        string group;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, rest) = (string.Empty, 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, rest) = (segments[1], 3);
        }
        else
        {
            return null;
        }

        if (segments[rest] == "namespaces" && segments.Length > rest + 2)
        {
            rest += 2;
        }

        var resource = segments.Length > rest + 2 ? $"{segments[rest]}/{segments[rest + 2]}" : segments[rest];
        return $"{record.Verb} {group}/{resource}";
    }
}
