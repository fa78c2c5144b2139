using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Workspace;
using OdhMigration.Integration.Tests.Rollback;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// Each stage runs against a simulator that authorises every request with exactly what tekton/rbac grants that
/// stage's ServiceAccount: the shipped least-privilege manifests must be enough for the whole chain, and no more.
/// </summary>
public sealed class StageAccountTests
{
    public static TheoryData<int> Scenarios => [.. Enumerable.Range(0, ChainScenario.All.Count)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_stage_succeeds_with_only_its_pipeline_service_account(int scenario)
    {
        // Serverless side-by-side and in-place, ModelMesh new-namespace and in-place, Serverless side-by-side with
        // --stop-original and no cleanup: see ChainScenario.All.
        var requests = await StageChain.RunAsync(ChainScenario.All[scenario]);
        Assert.All(requests, r => Assert.DoesNotContain(r.Value, q => q.Status == 403));
    }

    [Fact]
    public async Task The_enforcement_bites_cleanup_with_the_apply_account_is_refused_and_deletes_nothing()
    {
        var rbac = TektonRbac.Load("ml-team");
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml", Enforcing(AccessRules.AllowAll));
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "side-by-side");
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.Equal(ExitCodes.Success, validate.ExitCode);
        var before = (await sim.Cluster.ListAsync(Kinds.InferenceService, "ml-team")).Count;

        sim.Host.Access.Rules = rbac.For("apply");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"]);

        Assert.NotEqual(ExitCodes.Success, cleanup.ExitCode);
        sim.Host.Access.Rules = AccessRules.AllowAll;
        Assert.Equal(before, (await sim.Cluster.ListAsync(Kinds.InferenceService, "ml-team")).Count);
    }

    [Fact]
    public async Task Without_the_optional_capacity_grant_export_succeeds_and_capacity_json_says_why_capacity_is_unknown()
    {
        var rbac = TektonRbac.Load("ml-team");
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml", Enforcing(rbac.For("discover")));
        using var pipeline = new Pipeline(sim);
        var (discover, _) = await new DiscoverEngine(sim.Cluster, pipeline.Log).RunAsync(new DiscoverOptions { Namespaces = ["ml-team"], Mode = "serverless" }, pipeline.Layout);
        StageChain.AssertSucceeded("discover", discover, pipeline);

        sim.Host.Access.Rules = rbac.For("export");
        sim.Host.Requests.Reset();
        StageChain.AssertSucceeded("export", await new ExportEngine(sim.Cluster, pipeline.Log).RunAsync(new ExportOptions(), pipeline.Layout), pipeline);

        Assert.Contains(sim.Host.Requests.Recent, q => q.Status == 403 && q.Path.StartsWith("/api/v1/nodes", StringComparison.Ordinal));
        var (capacity, _) = await WorkspaceDocuments.ReadCapacityAsync(pipeline.Layout);
        Assert.False(capacity.Cluster.Readable);
        Assert.StartsWith("forbidden: the account may not list nodes", capacity.Cluster.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(capacity.Items);
        Assert.DoesNotContain(sim.Host.Requests.Recent, q => q.Status == 403 && !q.Path.StartsWith("/api/v1/nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void Transform_gets_no_grant_at_all_and_validate_no_cluster_scope()
    {
        var rbac = TektonRbac.Load("ml-team");
        Assert.Empty(rbac.For("transform").Rules);
        Assert.All(rbac.For("validate").Rules, r => Assert.NotNull(r.Namespace));
        Assert.All(rbac.For("export").Rules.Where(r => r.Verb is not ("get" or "list" or "watch")), r => Assert.Fail($"export may {r.Verb} {r.Resource}"));
        Assert.DoesNotContain(rbac.For("apply").Rules, r => r.Verb == "delete");
        Assert.DoesNotContain(rbac.For("discover").Rules, r => r.Resource == "secrets");
    }

    [Fact]
    public async Task Dsc_finalize_succeeds_with_only_its_service_account()
    {
        var requests = await FinalizeChain.RunAsync();
        Assert.DoesNotContain(requests, q => q.Status == 403);
        Assert.Contains(requests, q => q.Verb == "patch" && q.Resource == "configmaps");
        Assert.Contains(requests, q => q.Verb == "delete" && q.Resource == "clusterserviceversions");
    }

    [Fact]
    public async Task Without_the_optional_grant_dsc_finalize_cannot_uninstall_operators()
    {
        var rbac = TektonRbac.LoadWithApplications(TektonRbac.ExampleNamespace, FinalizeChain.ApplicationsNamespace);
        await using var cluster = await DscFinalize.FinalizeCluster.StartAsync(
            Enforcing(rbac.For("dsc-finalize")),
            DscFinalize.FinalizeCluster.UpstreamDsc, DscFinalize.FinalizeCluster.UpstreamDsci, DscFinalize.FinalizeCluster.ApplicationsNamespace,
            DscFinalize.FinalizeCluster.MigratedIsvc, DscFinalize.FinalizeCluster.LegacyOperators);
        var (exit, _, _) = await cluster.RunAsync("--uninstall-operators", "true");
        Assert.NotEqual(ExitCodes.Success, exit);
        cluster.Sim.Host.Access.Rules = AccessRules.AllowAll;
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.NotNull(await cluster.FindAsync(Kinds.ClusterServiceVersion, "servicemeshoperator.v2.6.5", "openshift-operators"));
    }

    [Fact]
    public void Writes_that_kubernetes_can_limit_by_name_are_limited_by_name()
    {
        var optional = Directory.GetFiles(Path.Combine(TektonRbac.Folder, "optional"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToArray();
        var rbac = TektonRbac.Load("ml-team", optional);
        var finalize = rbac.For("dsc-finalize").Rules;
        Assert.All(finalize.Where(r => r.Resource == "configmaps"), r => Assert.Equal(["inferenceservice-config"], r.Names!));
        Assert.All(finalize.Where(r => r.Resource is "subscriptions" or "clusterserviceversions" && r.Verb == "delete"), r => Assert.NotEmpty(r.Names ?? []));
        Assert.All(finalize.Where(r => r.Verb is "patch" or "delete" or "create" && r.Namespace is null), r => Assert.Contains(r.Resource, new[] { "datascienceclusters", "dscinitializations" }));
        Assert.All(rbac.For("apply").Rules.Where(r => r.Resource == "namespaces" && r.Verb != "create"), r => Assert.NotEmpty(r.Names ?? []));
        Assert.DoesNotContain(rbac.For("apply").Rules, r => r.Resource == "secrets" && r.Verb is "list" or "watch");
    }

    [Fact]
    public async Task Rollback_without_its_account_changes_nothing_and_without_the_optional_grant_fails_on_the_route_it_may_not_create()
    {
        var rbac = TektonRbac.Load("ml-team");
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml", Enforcing(AccessRules.AllowAll));
        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync("ml-team", "serverless", "side-by-side");
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        var validate = await pipeline.ValidateAsync();
        Assert.Equal(ExitCodes.Success, (await pipeline.CleanupAsync(validate.Results["validation-sha256"])).ExitCode);
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        var approved = RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] };
        var migrated = await RollbackSupport.ObjectsAsync(sim.Cluster, "ml-team");

        // An account with no grant (transform's): the first read of each item is refused, so nothing is deleted or created.
        sim.Host.Access.Rules = rbac.For("transform");
        var refused = await pipeline.RollbackAsync(sim.Cluster, approved);
        Assert.NotEqual(ExitCodes.Success, refused.ExitCode);
        Assert.Contains(pipeline.Log.Lines, l => l.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase));
        sim.Host.Access.Rules = AccessRules.AllowAll;
        Assert.Equal(migrated, await RollbackSupport.ObjectsAsync(sim.Cluster, "ml-team"));

        // Its own account without optional/rollback.yaml: the namespace is rolled back, the istio-system Route is not.
        sim.Host.Access.Rules = rbac.For("rollback");
        var partial = await pipeline.RollbackAsync(sim.Cluster, approved);
        Assert.NotEqual(ExitCodes.Success, partial.ExitCode);
        sim.Host.Access.Rules = AccessRules.AllowAll;
        var report = await pipeline.ReportAsync();
        var routeSteps = report.Items.SelectMany(i => i.Steps).Where(s => s.Kind == "Route").ToList();
        Assert.NotEmpty(routeSteps);
        Assert.All(routeSteps, s => Assert.Contains("forbidden", s.Reason ?? "", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(report.Items.SelectMany(i => i.Steps), s => s.Kind != "Route" && s.Outcome == OdhMigration.Core.Workspace.Vocabulary.RollbackOutcomes.Failed);
        Assert.Empty(await sim.Cluster.ListAsync(Kinds.Route, "istio-system"));
    }

    [Fact]
    public void Rollback_reads_and_writes_only_by_name_in_a_project_namespace_and_restores_cluster_objects_only_by_name()
    {
        var optional = Directory.GetFiles(Path.Combine(TektonRbac.Folder, "optional"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToArray();
        var rules = TektonRbac.Load("ml-team", optional).For("rollback").Rules;
        Assert.DoesNotContain(rules, r => r.Verb is "watch" or "update" or "deletecollection" or "escalate" or "bind" or "impersonate" or "*");
        Assert.All(rules.Where(r => r.Verb == "list"), r => Assert.Equal(("datascienceclusters", (string?)null), (r.Resource, r.Namespace)));
        Assert.All(rules.Where(r => r.Namespace is null && r.Verb != "list"), r => Assert.NotEmpty(r.Names ?? []));
        // set-owner points a recreated ServiceAccount/Role/RoleBinding at its recreated owner's new uid, and resume-original
        // takes serving.kserve.io/stop off an original apply stopped: names known only at run time, each patch carrying the uid.
        Assert.All(rules.Where(r => r.Verb == "patch"), r => Assert.Contains(r.Resource, new[] { "namespaces", "datascienceclusters", "dscinitializations", "serviceaccounts", "roles", "rolebindings", "inferenceservices" }));
        Assert.All(rules.Where(r => r.Namespace == "istio-system"), r => Assert.Equal("routes", r.Resource));
        Assert.DoesNotContain(TektonRbac.Load("ml-team").For("rollback").Rules, r => r.Resource is "routes" or "namespaces" or "dscinitializations" || (r.Resource == "datascienceclusters" && r.Verb != "list"));
    }

    private static SimulatorOptions Enforcing(AccessRules rules) => StageChain.Enforcing(rules);
}
