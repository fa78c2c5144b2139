using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// The way back in Tekton: the rollback-namespace Pipeline (dry run, a gate showing the plan's summary and sha256,
/// the gated run bound to that sha256), the rollback Task's gate summary result, and pipelineruns --rollback.
/// </summary>
public sealed class RollbackDeliveryTests : IDisposable
{
    private static readonly JsonObject RollbackPipeline = DeliveryFiles.Pipeline("rollback-namespace", "rollback-namespace");
    private readonly string _workspace = Directory.CreateTempSubdirectory("odh-rollback-delivery-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var code = await CliApp.RunAsync(UmbrellaCommand.Create(io), args, io, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void The_pipeline_plans_as_a_dry_run_then_rolls_back_only_after_its_gate_with_the_sha256_it_showed()
    {
        Assert.Equal(["plan", "approve-rollback", "rollback"], RollbackPipeline.Items("spec", "tasks").Select(t => t.Str("name")));
        Assert.Equal(["plan"], RollbackPipeline.PipelineTask("approve-rollback").Strings("runAfter"));
        Assert.Equal(["approve-rollback"], RollbackPipeline.PipelineTask("rollback").Strings("runAfter"));
        Assert.All(RollbackPipeline.Items("spec", "tasks"), t => Assert.Null(t["when"]));

        var plan = RollbackPipeline.PipelineTask("plan");
        Assert.Equal(("odh-rollback", "true"), (plan.Str("taskRef", "name"), plan.ParamValue("dry-run")));
        Assert.Null(plan.ParamValue("expect-rollback-sha256"));

        var rollback = RollbackPipeline.PipelineTask("rollback");
        Assert.Equal(("odh-rollback", "false", "0"), (rollback.Str("taskRef", "name"), rollback.ParamValue("dry-run"), rollback.Str("retries")));
        Assert.Equal("$(tasks.plan.results.rollback-plan-sha256)", rollback.ParamValue("expect-rollback-sha256"));

        var gate = RollbackPipeline.PipelineTask("approve-rollback").ParamValue("description")!;
        Assert.Contains("$(tasks.plan.results.rollback-plan-sha256)", gate, StringComparison.Ordinal);
        Assert.Contains("$(tasks.plan.results.rollback-summary)", gate, StringComparison.Ordinal);
        Assert.Contains("$(context.pipelineRun.name)-plan", gate, StringComparison.Ordinal);

        // Every result the pipeline reads is one the Task declares.
        var declared = DeliveryFiles.Task("odh-rollback").Items("spec", "results").Select(r => r.Str("name")).ToHashSet();
        Assert.Contains(RollbackGateSummary.Result, declared);
        Assert.Contains("rollback-plan-sha256", declared);
    }

    [Fact]
    public void The_task_always_requires_the_gate()
    {
        var args = Assert.Single(DeliveryFiles.Task("odh-rollback").Items("spec", "steps")).Strings("args");
        var at = args.ToList().IndexOf("--require-gate");
        Assert.True(at >= 0 && args[at + 1] == "true", string.Join(' ', args));
    }

    [Fact]
    public async Task The_gated_rollback_with_an_empty_sha256_is_refused_with_exit_3_before_it_reads_anything()
    {
        // As the Task runs it: --require-gate true and the expect param empty (the pipeline passes the plan's result).
        // A kubeconfig of a server nobody listens on: the refusal comes before any request.
        var kubeconfig = Path.Combine(_workspace, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: u, user: {token: not-a-token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """, TestContext.Current.CancellationToken);
        var workspace = Directory.CreateDirectory(Path.Combine(_workspace, "ws")).FullName;
        var (code, _, stderr) = await RunAsync("rollback", "--workspace", workspace, "--kubeconfig", kubeconfig, "--require-gate", "true", "--expect-rollback-sha256", "", "--dry-run", "false");
        Assert.Equal(ExitCodes.PreconditionFailed, code);
        Assert.Contains($"{OdhMigration.Core.Stages.Rollback.RollbackOptions.ExpectOption} is empty", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(workspace));
    }

    [Fact]
    public void The_gate_summary_has_a_line_per_item_and_fits_the_result_size_limit()
    {
        RollbackStep Step(string action, string kind, string name, string? ns = "team") => new() { Action = action, Kind = kind, Name = name, Namespace = ns, Id = name };
        var item = new RollbackPlanItem
        {
            Namespace = "team", Name = "fraud", Strategy = "side-by-side", SourceMode = "Serverless",
            Steps = [Step(RollbackActions.DeleteReplacement, "InferenceService", "fraud-raw"), Step(RollbackActions.RecreateOriginal, "InferenceService", "fraud"), Step(RollbackActions.RecreateOriginal, "Route", "fraud-team", "istio-system")],
        };
        var refused = new RollbackPlanItem { Namespace = "team", Name = "old", Strategy = "in-place", SourceMode = "ModelMesh", Refusal = "the cluster can no longer host the ModelMesh original" };
        var text = RollbackGateSummary.For(new RollbackPlan { Items = [item, refused] });
        Assert.StartsWith("1 to roll back, 1 refused\n", text, StringComparison.Ordinal);
        Assert.Contains("- team/fraud (side-by-side, back to Serverless): DELETES 1: InferenceService fraud-raw; recreates 2: InferenceService fraud, Route istio-system/fraud-team", text, StringComparison.Ordinal);
        Assert.Contains("- team/old: REFUSED: the cluster can no longer host", text, StringComparison.Ordinal);

        // DSC/DSCI restores in the header; a refused one says so, so nobody approves a restore that will not run.
        var cluster = new RollbackPlan
        {
            Items = [item],
            Cluster =
            [
                new RollbackStep { Id = "_cluster#1", Action = RollbackActions.RestoreCluster, Kind = "DataScienceCluster", ApiVersion = "datasciencecluster.opendatahub.io/v1", Name = "default-dsc" },
                new RollbackStep { Id = "_cluster#2", Action = RollbackActions.RestoreCluster, Kind = "DSCInitialization", ApiVersion = "dscinitialization.opendatahub.io/v1", Name = "default-dsci", Refusal = "changed since dsc-finalize left it" },
            ],
        };
        Assert.StartsWith("1 to roll back, 0 refused; restores DataScienceCluster default-dsc, DSCInitialization default-dsci (REFUSED: changed since dsc-finalize left it) from dsc-finalize's backup\n", RollbackGateSummary.For(cluster), StringComparison.Ordinal);

        var many = new RollbackPlan { Items = [.. Enumerable.Range(0, 200).Select(i => item with { Name = $"isvc-{i}" })] };
        var cut = RollbackGateSummary.For(many);
        Assert.True(GateSummary.EncodedBytes(cut) <= GateSummary.MaxEncodedBytes, $"{GateSummary.EncodedBytes(cut)} bytes");
        Assert.Matches(@"\.\.\. \d+ more, see rollback-plan\.md or rollback-plan\.json\n$", cut);
    }

    private async Task DiscoverSampleAsync()
    {
        var sample = RepoPaths.Combine("samples", "serverless-basic.yaml");
        var (code, _, stderr) = await RunAsync("discover", "--workspace", _workspace, "--snapshot", sample, "-n", "fraud-detection");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task Pipelineruns_rollback_writes_a_gated_run_on_the_namespaces_pvc_as_the_rollback_account_with_its_grants()
    {
        await DiscoverSampleAsync();
        var digest = "sha256:" + new string('b', 64);
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "group:odh-migration-approvers", "--rollback",
            "--image", $"rollback=mirror.example/odh-rollback@{digest}");
        Assert.True(code == 0, stderr);
        var documents = Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root)).ToList();

        var run = Assert.Single(documents, d => d.Str("kind") == "PipelineRun");
        Assert.Equal(("rollback-namespace", "rollback-fraud-detection-"), (run.Str("spec", "pipelineRef", "name"), run.Str("metadata", "generateName")));
        Assert.Null(run.Str("spec", "status"));
        var declared = RollbackPipeline.Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
        Assert.All(run.Items("spec", "params"), p => Assert.Contains(p.Str("name"), declared));
        Assert.All(RollbackPipeline.Items("spec", "params").Where(p => p["default"] is null), p => Assert.Contains(p.Str("name"), run.Items("spec", "params").Select(r => r.Str("name"))));
        Assert.Equal($"mirror.example/odh-rollback@{digest}", run.Items("spec", "params").Single(p => p.Str("name") == "image-rollback").Str("value"));

        // Both odh-rollback tasks as the rollback account; the summary as the account with no role.
        var accounts = DeliveryFiles.All("tekton", "rbac", "service-accounts.yaml").Select(a => a.Str("metadata", "name")).ToHashSet();
        var specs = run.Items("spec", "taskRunSpecs").ToList();
        Assert.Equal(["plan", "rollback"], specs.Select(s => s.Str("pipelineTaskName")).Order());
        Assert.All(specs, s => Assert.Equal("odh-migration-rollback", s.Str("serviceAccountName")));
        Assert.Contains("odh-migration-rollback", accounts);
        Assert.Equal("odh-migration-transform", run.Str("spec", "taskRunTemplate", "serviceAccountName"));

        // The migration's own PVC (backups, ledger), never a run-owned volume.
        Assert.Equal(PipelineRunBuilder.ClaimName("fraud-detection"), Assert.Single(run.Items("spec", "workspaces")).Str("persistentVolumeClaim", "claimName"));
        Assert.DoesNotContain("volumeClaimTemplate", stdout, StringComparison.Ordinal);

        // The namespace's bindings (the rollback one among them) and, with Serverless ISVCs, the istio-system Route role.
        var bindings = documents.Where(d => d.Str("kind") is "RoleBinding").ToList();
        Assert.Contains(bindings, b => b.Str("metadata", "name") == "odh-migration-rollback" && b.Str("metadata", "namespace") == "fraud-detection");
        Assert.Contains(documents, d => d.Str("kind") == "Role" && d.Str("metadata", "namespace") == "istio-system" && d.Str("metadata", "name") == "odh-migration-rollback-ingress-routes");
        Assert.DoesNotContain(documents, d => d.Str("metadata", "name")?.StartsWith("odh-migration-rollback-relabel-namespace-", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(documents, d => d.Str("metadata", "name") is "odh-migration-replace" or "odh-migration-create-namespace");
    }

    [Theory]
    [InlineData("--wave", "1")]
    [InlineData("--resume-from", "apply")]
    public async Task Pipelineruns_rollback_refuses_options_of_the_migration_runs(string option, string value)
    {
        await DiscoverSampleAsync();
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--rollback", option, value);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains("--rollback", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelineruns_rollback_needs_approvers()
    {
        await DiscoverSampleAsync();
        var (code, _, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--rollback");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--approvers is required", stderr, StringComparison.Ordinal);
    }
}
