using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Integration.Tests.Rollback;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>One scenario of the namespace chain (sample, namespace, mode, strategy, optional grants).</summary>
public sealed record ChainScenario(string Sample, string Namespace, string Mode, string Strategy, string? Target, string[] OptionalGrants, bool RollbackRecreatesTheIsvc = true)
{
    public static readonly IReadOnlyList<ChainScenario> All =
    [
        new("serverless-team.yaml", "ml-team", "serverless", "side-by-side", null, [CapacityGrant, RollbackGrant]),
        new("serverless-team.yaml", "ml-team", "serverless", "in-place", null, ["in-place", CapacityGrant, RollbackGrant]),
        new("modelmesh-team.yaml", "mm-models", "modelmesh", "new-namespace", "mm-raw", ["new-namespace", CapacityGrant, RollbackGrant]),
        new("modelmesh-team.yaml", "mm-models", "modelmesh", "in-place", null, ["in-place", CapacityGrant, RollbackGrant]),
        new("serverless-team.yaml", "ml-team", "serverless", "side-by-side", null, [CapacityGrant, RollbackGrant]) { StopOriginal = true, Cleanup = false },
    ];

    /// <summary>apply --stop-original: the Serverless originals are stopped beside their replacements (rollback resumes them).</summary>
    public bool StopOriginal { get; init; }

    /// <summary>false: no cleanup before rollback (the originals stay, stopped or not, and rollback keeps them).</summary>
    public bool Cleanup { get; init; } = true;

    /// <summary>tekton/rbac/optional/rollback.yaml: rollback recreates the istio-system Route and puts back the namespace label (written by pipelineruns --rollback).</summary>
    public const string RollbackGrant = "rollback";

    /// <summary>tekton/rbac/optional/cluster-capacity.yaml: export reads nodes and all pods for capacity.json (without it, capacity is unknown and export still succeeds).</summary>
    public const string CapacityGrant = "cluster-capacity";

    public TektonRbac Rbac() => Target is null
        ? TektonRbac.Load(Namespace, OptionalGrants)
        : TektonRbac.LoadWithTarget(Namespace, Target, OptionalGrants).With(TektonRbac.Load(Target, OptionalGrants));
}

/// <summary>
/// Runs every namespace stage against a simulator that authorises each request with exactly what tekton/rbac grants
/// that stage's ServiceAccount, and hands back the API requests each stage made (for the unused-grant check).
/// </summary>
internal static class StageChain
{
    public static SimulatorOptions Enforcing(AccessRules rules) => new()
    {
        KServe = new KServeControllerOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) },
        Access = rules,
        EnforceAccess = true,
    };

    public static async Task<Dictionary<string, List<RequestRecord>>> RunAsync(ChainScenario scenario)
    {
        var rbac = scenario.Rbac();
        var requests = new Dictionary<string, List<RequestRecord>>(StringComparer.Ordinal);
        await using var sim = await SimulatedCluster.StartSampleAsync(scenario.Sample, Enforcing(rbac.For("discover")));
        using var pipeline = new Pipeline(sim);

        void Switch(string stage)
        {
            sim.Host.Access.Rules = rbac.For(stage);
            sim.Host.Requests.Reset();
        }

        void Record(string stage) => requests[stage] = [.. sim.Host.Requests.Recent];

        Switch("discover");
        var (discover, _) = await new DiscoverEngine(sim.Cluster, pipeline.Log).RunAsync(new DiscoverOptions { Namespaces = [scenario.Namespace], Mode = scenario.Mode }, pipeline.Layout);
        AssertSucceeded("discover", discover, pipeline);
        Assert.DoesNotContain(pipeline.Log.Lines, l => l.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) && !l.Message.Contains("would be refused", StringComparison.Ordinal));
        Record("discover");

        Switch("export");
        AssertSucceeded("export", await new ExportEngine(sim.Cluster, pipeline.Log).RunAsync(new ExportOptions(), pipeline.Layout), pipeline);
        Assert.DoesNotContain(pipeline.Log.Lines, l => l.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase) && !l.Message.Contains("would be refused", StringComparison.Ordinal));
        Record("export");

        Switch("transform");
        AssertSucceeded("transform", await new TransformEngine(pipeline.Log, TransformerCatalog.All).RunAsync(new TransformOptions { Strategy = scenario.Strategy, TargetNamespace = scenario.Target }, pipeline.Layout), pipeline);
        Record("transform");

        Switch("apply");
        AssertSucceeded("apply", await pipeline.ApplyAsync(Pipeline.FastApply with { StopOriginal = scenario.StopOriginal }), pipeline);
        Record("apply");

        Switch("validate");
        var validate = await pipeline.ValidateAsync();
        AssertSucceeded("validate", validate, pipeline);
        Record("validate");

        if (scenario.Cleanup)
        {
            Switch("cleanup");
            AssertSucceeded("cleanup", await pipeline.CleanupAsync(validate.Results["validation-sha256"]), pipeline);
            Record("cleanup");
        }

        sim.Host.Access.Rules = AccessRules.AllowAll;
        var plan = await pipeline.PlanAsync();
        Assert.Contains(plan.Items, i => i.Status == "ok");
        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName));
            foreach (var deletion in item.DeleteOnCleanup.Where(d => scenario.Cleanup && d.Kind == "InferenceService" && (d.Namespace, d.Name) != (item.TargetNamespace, item.TargetName)))
            {
                Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, deletion.Namespace, deletion.Name));
            }

            if (scenario.StopOriginal)
            {
                Assert.Equal("true", (await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name))!.Annotation("serving.kserve.io/stop"));
            }
        }

        // The way back, as odh-migration-rollback: its dry run (the gate's plan) and the approved run.
        Switch("rollback");
        var dry = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { DryRun = true });
        AssertSucceeded("rollback (dry run)", dry, pipeline);
        var rollback = await pipeline.RollbackAsync(sim.Cluster, RollbackSupport.Fast with { ExpectRollbackSha256 = dry.Results["rollback-plan-sha256"] });
        AssertSucceeded("rollback", rollback, pipeline);
        Record("rollback");

        sim.Host.Access.Rules = AccessRules.AllowAll;
        foreach (var item in plan.Items.Where(i => i.Status == "ok" && scenario.RollbackRecreatesTheIsvc))
        {
            Assert.True(await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name) is not null,
                $"{item.Namespace}/{item.Name} is not back after rollback ({rollback.Summary}):\n{File.ReadAllText(pipeline.Layout.Rollback)}\n{pipeline.Logs}");
            if (item.SourceMode == "ModelMesh")
            {
                Assert.Equal("ModelMesh", (await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name))!.Annotation("serving.kserve.io/deploymentMode"));
            }

            if ((item.TargetNamespace, item.TargetName) != (item.Namespace, item.Name))
            {
                Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName));
            }

            if (scenario.StopOriginal)
            {
                // resume-original, as odh-migration-rollback (patch inferenceservices): the sample's originals had no stop annotation.
                Assert.Null((await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name))!.Annotation("serving.kserve.io/stop"));
            }
        }

        return requests;
    }

    public static void AssertSucceeded(string stage, StageOutcome outcome, Pipeline pipeline) =>
        Assert.True(outcome.ExitCode == ExitCodes.Success, $"{stage} with odh-migration-{stage}'s grants: exit {outcome.ExitCode}: {outcome.Summary}\n{pipeline.Logs}");
}

/// <summary>odh-dsc-finalize, uninstalling the operators and setting the hardware-profile ignorelist, as odh-migration-dsc-finalize.</summary>
internal static class FinalizeChain
{
    public const string ApplicationsNamespace = "redhat-ods-applications";

    public static async Task<List<RequestRecord>> RunAsync()
    {
        var rbac = TektonRbac.LoadWithApplications(TektonRbac.ExampleNamespace, ApplicationsNamespace, "uninstall-operators");
        await using var cluster = await DscFinalize.FinalizeCluster.StartAsync(
            StageChain.Enforcing(rbac.For("dsc-finalize")),
            DscFinalize.FinalizeCluster.UpstreamDsc, DscFinalize.FinalizeCluster.UpstreamDsci, DscFinalize.FinalizeCluster.ApplicationsNamespace,
            DscFinalize.FinalizeCluster.MigratedIsvc, DscFinalize.FinalizeCluster.LegacyOperators);
        cluster.Sim.Host.Requests.Reset();
        var (exit, stdout, stderr) = await cluster.RunAsync("--uninstall-operators", "true", "--hardware-profile-ignorelist", "true");
        Assert.True(exit == ExitCodes.Success, $"dsc-finalize with odh-migration-dsc-finalize's grants: exit {exit}\n{stdout}\n{stderr}");
        var requests = cluster.Sim.Host.Requests.Recent.ToList();
        cluster.Sim.Host.Access.Rules = AccessRules.AllowAll;
        Assert.Null(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.Null(await cluster.FindAsync(Kinds.ClusterServiceVersion, "serverless-operator.v1.35.0", "openshift-serverless"));
        return requests;
    }
}
