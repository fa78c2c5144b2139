using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>odh-migrate run against the simulator: both gates, approved, declined and unanswerable, and --resume.</summary>
public sealed class RunCommandTests
{
    private static readonly string[] Originals = ["churn-internal", "churn-v2", "credit-scoring"];

    private static string[] Run(SimulatedCluster sim, TempWorkspace ws, params string[] extra) =>
        ["run", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig, .. extra];

    [Fact]
    public async Task Approved_in_advance_it_migrates_validates_and_cleans_up_and_records_the_approvals()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team", "--approve", "plan,cleanup"));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var plan = (await WorkspaceDocuments.ReadPlanAsync(ws.Layout)).Document;
        Assert.Equal(Originals.Length, plan.Items.Count(i => i.Status == "ok"));
        await Invariants.EveryIsvcIsServedAsync(sim.Cluster, plan);
        foreach (var name in Originals)
        {
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name));
            Assert.True(IsvcDiagnosis.IsServing((await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name + "-raw"))!), name + "-raw");
        }

        // The gate showed each ISVC and its diff before anything was applied, then the validation before cleanup.
        var planGate = result.Stdout.IndexOf("== gate: plan, before apply", StringComparison.Ordinal);
        var cleanupGate = result.Stdout.IndexOf("== gate: validation, before cleanup", StringComparison.Ordinal);
        Assert.True(planGate >= 0 && cleanupGate > planGate, result.ToString());
        Assert.Contains("ml-team/credit-scoring -> ml-team/credit-scoring-raw (side-by-side)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+  name: credit-scoring-raw", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("plan.json sha256 " + await Hashing.Sha256FileAsync(ws.Layout.Plan, TestContext.Current.CancellationToken), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("cleanup    succeeded", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ws.Path, "report.md")));

        var approvals = JsonNode.Parse(File.ReadAllText(ws.Layout.Approvals))!["items"]!.AsArray();
        Assert.Equal(["plan", "cleanup"], approvals.Select(a => a!["gate"]!.GetValue<string>()));
        Assert.All(approvals, a => Assert.Equal("--approve", a!["approvedBy"]!.GetValue<string>()));
        Assert.DoesNotContain("sample-secret-value-not-real", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_the_plan_gate_on_a_terminal_applies_nothing_and_is_not_a_success()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        sim.Host.Requests.Reset();

        var result = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team"), typed: "no\n");

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, result.ToString());
        Assert.Contains("type 'apply' to continue", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("stopped at the plan gate", result.All, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Ledger));
        Assert.False(File.Exists(ws.Layout.Approvals));
        Assert.DoesNotContain(await sim.Cluster.ListAsync(Kinds.InferenceService, "ml-team", cancellationToken: TestContext.Current.CancellationToken), i => i.Name().EndsWith("-raw", StringComparison.Ordinal));
        Assert.Equal(0, WriteRequests(sim));
    }

    [Fact]
    public async Task Typing_apply_then_declining_cleanup_keeps_both_originals_and_replacements()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team"), typed: "apply\nnot now\n");

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, result.ToString());
        Assert.Contains("stopped at the cleanup gate", result.All, StringComparison.Ordinal);
        foreach (var name in Originals)
        {
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name));
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name + "-raw"));
        }

        var approval = Assert.Single(JsonNode.Parse(File.ReadAllText(ws.Layout.Approvals))!["items"]!.AsArray());
        Assert.Equal(("plan", "typed"), (approval!["gate"]!.GetValue<string>(), approval["approvedBy"]!.GetValue<string>()));
        Assert.False(File.Exists(ws.Layout.Cleanup));
    }

    [Fact]
    public async Task Without_a_terminal_an_unapproved_gate_stops_the_run_before_it_writes()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        sim.Host.Requests.Reset();

        var result = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team"));

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, result.ToString());
        Assert.Contains("--approve plan,cleanup", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(ws.Layout.Plan), "the plan is written so it can be reviewed");
        Assert.False(File.Exists(ws.Layout.Ledger));
        Assert.Equal(0, WriteRequests(sim));
    }

    [Fact]
    public async Task Approving_only_the_plan_stops_at_cleanup_and_resume_finishes_without_asking_for_the_plan_again()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var first = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team", "--approve", "plan"));
        Assert.True(first.ExitCode == ExitCodes.PreconditionFailed, first.ToString());
        Assert.Contains("gate 'cleanup'", first.Stderr, StringComparison.Ordinal);
        Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", "churn-v2"));

        // Planning again over this workspace would orphan its ledger: refused.
        var again = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team", "--approve", "plan,cleanup"));
        Assert.True(again.ExitCode == ExitCodes.PreconditionFailed, again.ToString());
        Assert.Contains("--resume", again.Stderr, StringComparison.Ordinal);

        var resumed = await Umbrella.RunAsync(Run(sim, ws, "--resume", "--approve", "cleanup"));
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.ToString());
        Assert.Contains("was approved at", resumed.Stdout, StringComparison.Ordinal);
        Assert.Contains("not asking again", resumed.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 already done", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 already done", resumed.Stdout, StringComparison.Ordinal);
        foreach (var name in Originals)
        {
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name));
        }
    }

    [Theory]
    [InlineData("--approve", "plan,deploy")]
    [InlineData("--resume", "-n", "ml-team")]
    [InlineData("--resume")]
    [InlineData("--snapshot", "SAMPLE", "-n", "ml-team", "--approve", "plan,cleanup")]
    [InlineData("--concurrency", "0", "-n", "ml-team")]
    public async Task Bad_input_exits_2_before_touching_the_cluster(params string[] extra)
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        sim.Host.Requests.Reset();
        var args = extra.Select(a => a == "SAMPLE" ? Path.Combine(RepoPaths.Samples, "serverless-team.yaml") : a).ToArray();
        if (!args.Contains("-n") && !args.Contains("--resume"))
        {
            args = [.. args, "-n", "ml-team"];
        }

        var result = await Umbrella.RunAsync(Run(sim, ws, args));

        Assert.True(result.ExitCode == ExitCodes.UsageError, result.ToString());
        Assert.Equal(0, sim.RequestCount);
        Assert.False(File.Exists(ws.Layout.Ledger));
    }

    /// <summary>Requests that change something; access reviews are questions, not writes.</summary>
    private static int WriteRequests(SimulatedCluster sim) =>
        sim.Host.Requests.Recent.Count(r => r.Method != "GET" && r.Resource != "selfsubjectaccessreviews");
}
