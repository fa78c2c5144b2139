using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Integration.Tests.Run;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Tampering;

/// <summary>odh-migrate run --resume against the simulator with approvals.json or plan.json edited by hand.</summary>
public sealed class ResumeTamperingTests
{
    private static string[] Run(SimulatedCluster sim, TempWorkspace ws, params string[] extra) =>
        ["run", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig, .. extra];

    private static int WriteRequests(SimulatedCluster sim) =>
        sim.Host.Requests.Recent.Count(r => r.Method != "GET" && r.Resource != "selfsubjectaccessreviews");

    private static string HandWritten(string sha) =>
        $$"""{"schemaVersion":1,"kind":"Approvals","items":[{"gate":"plan","document":"plan.json","sha256":"{{sha}}","approvedAt":"2026-01-01T00:00:00Z","approvedBy":"typed"}]}""";

    [Fact]
    public async Task A_hand_written_approval_without_a_real_hash_is_refused_and_nothing_is_applied()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        Assert.Equal(ExitCodes.PreconditionFailed, (await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team"), typed: "no\n")).ExitCode);
        await File.WriteAllTextAsync(ws.Layout.Approvals, HandWritten("0000"), TestContext.Current.CancellationToken);
        sim.Host.Requests.Reset();

        var resumed = await Umbrella.RunAsync(Run(sim, ws, "--resume", "--approve", "plan,cleanup"));

        Assert.True(resumed.ExitCode == ExitCodes.PreconditionFailed, resumed.ToString());
        Assert.Contains("approvals.json", resumed.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a record odh-migrate writes", resumed.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Ledger));
        Assert.Equal(0, WriteRequests(sim));
    }

    [Fact]
    public async Task A_hand_written_approval_with_the_right_hash_but_no_ledger_behind_it_is_asked_again()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        Assert.Equal(ExitCodes.PreconditionFailed, (await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team"), typed: "no\n")).ExitCode);
        var planSha = await Hashing.Sha256FileAsync(ws.Layout.Plan, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(ws.Layout.Approvals, HandWritten(planSha), TestContext.Current.CancellationToken);
        sim.Host.Requests.Reset();

        var resumed = await Umbrella.RunAsync(Run(sim, ws, "--resume"));

        Assert.True(resumed.ExitCode == ExitCodes.PreconditionFailed, resumed.ToString());
        Assert.Contains("no apply ledger bears it out", resumed.All, StringComparison.Ordinal);
        Assert.Contains("gate 'plan'", resumed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not asking again", resumed.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Ledger));
        Assert.Equal(0, WriteRequests(sim));
    }

    [Fact]
    public async Task Resume_after_the_plan_changed_since_its_approval_exits_3_naming_both_hashes()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        var first = await Umbrella.RunAsync(Run(sim, ws, "-n", "ml-team", "--approve", "plan"));
        Assert.True(first.ExitCode == ExitCodes.PreconditionFailed, first.ToString());
        var approved = await Hashing.Sha256FileAsync(ws.Layout.Plan, TestContext.Current.CancellationToken);
        var approval = Assert.Single(JsonNode.Parse(await File.ReadAllTextAsync(ws.Layout.Approvals, TestContext.Current.CancellationToken))!["items"]!.AsArray());
        Assert.Equal(approved, approval!["sha256"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(approval["user"]?.GetValue<string>()));
        Assert.EndsWith("Z", approval["approvedAt"]!.GetValue<string>().Replace("+00:00", "Z", StringComparison.Ordinal), StringComparison.Ordinal);

        // Someone edits the approved plan: add a deletion of an object the approved plan did not name.
        var plan = JsonNode.Parse(await File.ReadAllTextAsync(ws.Layout.Plan, TestContext.Current.CancellationToken))!.AsObject();
        plan["items"]![0]!["deleteOnCleanup"]!.AsArray().Add(new JsonObject { ["kind"] = "ServingRuntime", ["apiVersion"] = "serving.kserve.io/v1alpha1", ["name"] = "churn-runtime", ["namespace"] = "ml-team", ["reason"] = "edited" });
        await File.WriteAllTextAsync(ws.Layout.Plan, plan.ToJsonString(), TestContext.Current.CancellationToken);
        var edited = await Hashing.Sha256FileAsync(ws.Layout.Plan, TestContext.Current.CancellationToken);
        sim.Host.Requests.Reset();

        var resumed = await Umbrella.RunAsync(Run(sim, ws, "--resume", "--approve", "plan,cleanup"));

        Assert.True(resumed.ExitCode == ExitCodes.PreconditionFailed, resumed.ToString());
        Assert.Contains("plan.json changed since it was approved", resumed.Stderr, StringComparison.Ordinal);
        Assert.Contains(approved, resumed.Stderr, StringComparison.Ordinal);
        Assert.Contains(edited, resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, WriteRequests(sim));
        Assert.NotNull(await sim.Cluster.GetAsync(Kinds.ServingRuntime, "ml-team", "churn-runtime", TestContext.Current.CancellationToken));
        Assert.False(File.Exists(ws.Layout.Cleanup));
    }
}
