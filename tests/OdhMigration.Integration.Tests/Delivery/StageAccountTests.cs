using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// Each stage runs against a simulator that authorises every request with exactly what tekton/rbac grants that
/// stage's ServiceAccount: the shipped least-privilege manifests must be enough for the whole chain, and no more.
/// </summary>
public sealed class StageAccountTests
{
    [Theory]
    [InlineData("serverless-team.yaml", "ml-team", "serverless", "side-by-side", null, new string[0])]
    [InlineData("serverless-team.yaml", "ml-team", "serverless", "in-place", null, new[] { "in-place" })]
    [InlineData("modelmesh-team.yaml", "mm-models", "modelmesh", "new-namespace", "mm-raw", new[] { "new-namespace" })]
    [InlineData("modelmesh-team.yaml", "mm-models", "modelmesh", "in-place", null, new[] { "in-place" })]
    public async Task Every_stage_succeeds_with_only_its_pipeline_service_account(string sample, string ns, string mode, string strategy, string? target, string[] optionalGrants)
    {
        var rbac = TektonRbac.Load(ns, optionalGrants);
        if (target is not null)
        {
            rbac = TektonRbac.Load(ns, optionalGrants).With(TektonRbac.Load(target, optionalGrants));
        }

        await using var sim = await SimulatedCluster.StartSampleAsync(sample, Enforcing(rbac.For("discover")));
        using var pipeline = new Pipeline(sim);

        var (discover, _) = await new DiscoverEngine(sim.Cluster, pipeline.Log).RunAsync(new DiscoverOptions { Namespaces = [ns], Mode = mode }, pipeline.Layout);
        AssertSucceeded("discover", discover, pipeline);
        Assert.DoesNotContain(pipeline.Log.Lines, l => l.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) && !l.Message.Contains("would be refused", StringComparison.Ordinal));

        sim.Host.Access.Rules = rbac.For("export");
        AssertSucceeded("export", await new ExportEngine(sim.Cluster, pipeline.Log).RunAsync(new ExportOptions(), pipeline.Layout), pipeline);
        Assert.DoesNotContain(pipeline.Log.Lines, l => l.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) && !l.Message.Contains("would be refused", StringComparison.Ordinal));

        sim.Host.Access.Rules = rbac.For("transform");
        AssertSucceeded("transform", await new TransformEngine(pipeline.Log, TransformerCatalog.All).RunAsync(new TransformOptions { Strategy = strategy, TargetNamespace = target }, pipeline.Layout), pipeline);

        sim.Host.Access.Rules = rbac.For("apply");
        AssertSucceeded("apply", await pipeline.ApplyAsync(), pipeline);

        sim.Host.Access.Rules = rbac.For("validate");
        var validate = await pipeline.ValidateAsync();
        AssertSucceeded("validate", validate, pipeline);

        sim.Host.Access.Rules = rbac.For("cleanup");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"]);
        AssertSucceeded("cleanup", cleanup, pipeline);

        sim.Host.Access.Rules = AccessRules.AllowAll;
        var plan = await pipeline.PlanAsync();
        Assert.Contains(plan.Items, i => i.Status == "ok");
        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName));
            foreach (var deletion in item.DeleteOnCleanup.Where(d => d.Kind == "InferenceService" && (d.Namespace, d.Name) != (item.TargetNamespace, item.TargetName)))
            {
                Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, deletion.Namespace, deletion.Name));
            }
        }
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
    public void Transform_gets_no_grant_at_all_and_validate_no_cluster_scope()
    {
        var rbac = TektonRbac.Load("ml-team");
        Assert.Empty(rbac.For("transform").Rules);
        Assert.All(rbac.For("validate").Rules, r => Assert.NotNull(r.Namespace));
        Assert.All(rbac.For("export").Rules.Where(r => r.Verb is not ("get" or "list" or "watch")), r => Assert.Fail($"export may {r.Verb} {r.Resource}"));
        Assert.DoesNotContain(rbac.For("apply").Rules, r => r.Verb == "delete");
        Assert.DoesNotContain(rbac.For("discover").Rules, r => r.Resource == "secrets");
    }

    private static SimulatorOptions Enforcing(AccessRules rules) => new()
    {
        KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) },
        Access = rules,
        EnforceAccess = true,
    };

    private static void AssertSucceeded(string stage, StageOutcome outcome, Pipeline pipeline) =>
        Assert.True(outcome.ExitCode == ExitCodes.Success, $"{stage} with odh-migration-{stage}'s grants: exit {outcome.ExitCode}: {outcome.Summary}\n{pipeline.Logs}");
}
