using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using static OdhMigration.Integration.Tests.DscFinalize.FinalizeCluster;

namespace OdhMigration.Integration.Tests.DscFinalize;

/// <summary>
/// The finalize gate binds the change to what the approvers saw: the dry run writes finalize-plan.json and its
/// sha256, and the real run recomputes the plan from the live cluster and refuses, before any backup or change,
/// when it is not that document.
/// </summary>
public sealed class DscFinalizeGateTests
{
    private static async Task<string> PreviewAsync(FinalizeCluster cluster, params string[] extra)
    {
        var results = Path.Combine(cluster.Workspace, "preview-results");
        var (exit, stdout, stderr) = await cluster.RunAsync([.. extra, "--dry-run", "--result-dir", results]);
        Assert.True(exit == ExitCodes.Success, $"preview: exit {exit}\n{stdout}\n{stderr}");
        var sha = (await File.ReadAllTextAsync(Path.Combine(results, "finalize-plan-sha256"), TestContext.Current.CancellationToken)).Trim();
        var plan = await File.ReadAllTextAsync(Path.Combine(cluster.Workspace, "finalize-plan.json"), TestContext.Current.CancellationToken);
        Assert.Equal(OdhMigration.Core.Workspace.Hashing.Sha256Hex(plan), sha);
        Assert.Contains("\"mergePatch\"", plan, StringComparison.Ordinal);
        return sha;
    }

    [Fact]
    public async Task The_approved_plan_is_applied_when_nothing_changed_since_the_dry_run()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, LegacyOperators);
        var sha = await PreviewAsync(cluster, "--uninstall-operators");

        var (exit, stdout, stderr) = await cluster.RunAsync("--uninstall-operators", "--require-gate", "--expect-finalize-plan-sha256", sha);

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Equal("done", cluster.FinalizeReport().Str("verdict"));
        Assert.Equal("RawDeployment", (await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc")).At("spec", "components", "kserve").Str("defaultDeploymentMode"));
        Assert.Null(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
    }

    [Fact]
    public async Task A_cluster_that_changed_since_the_dry_run_is_refused_with_exit_3_and_nothing_is_changed()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, LegacyOperators);
        var sha = await PreviewAsync(cluster, "--uninstall-operators");

        // Someone edits the DSC while the gate waits: the change the approvers saw is no longer the one that would run.
        await cluster.Sim.Cluster.PatchAsync(Kinds.DataScienceCluster, null, "default-dsc", PatchKind.Merge, """{"spec":{"components":{"modelmeshserving":{"managementState":"Removed"}}}}""", new WriteOptions(), TestContext.Current.CancellationToken);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");
        var facts = Path.Combine(cluster.Workspace, OdhMigration.Core.Workspace.WorkspaceLayout.ClusterDir);
        var backupsBefore = Directory.EnumerateDirectories(facts, "finalize-backup-*").Count();

        var (exit, stdout, stderr) = await cluster.RunAsync("--uninstall-operators", "--require-gate", "--expect-finalize-plan-sha256", sha);

        Assert.True(exit == ExitCodes.PreconditionFailed, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("--expect-finalize-plan-sha256", stderr, StringComparison.Ordinal);
        Assert.Equal(dscBefore.ToJsonString(), (await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc")).ToJsonString());
        Assert.Equal(dsciBefore.ToJsonString(), (await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci")).ToJsonString());
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.True(backupsBefore == Directory.EnumerateDirectories(facts, "finalize-backup-*").Count(), "a refused run must not even back up");
        Assert.True(File.Exists(Path.Combine(cluster.Workspace, "finalize-plan.refused.json")));
    }

    [Fact]
    public async Task Different_options_than_the_approved_dry_run_are_refused()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, LegacyOperators);
        var sha = await PreviewAsync(cluster);

        var (exit, _, stderr) = await cluster.RunAsync("--uninstall-operators", "--require-gate", "--expect-finalize-plan-sha256", sha);

        Assert.True(exit == ExitCodes.PreconditionFailed, stderr);
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
    }

    [Fact]
    public async Task Require_gate_without_the_sha256_changes_nothing()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");

        var (exit, _, stderr) = await cluster.RunAsync("--require-gate");

        Assert.True(exit == ExitCodes.PreconditionFailed, stderr);
        Assert.Equal(dscBefore.ToJsonString(), (await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc")).ToJsonString());
    }
}
