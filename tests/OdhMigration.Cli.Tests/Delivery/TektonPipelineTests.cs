using System.Text.Json.Nodes;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>The pipelines' safety wiring: gates before the changing stages, sha256 handed from producer to gated task, no retried deletes.</summary>
public sealed class TektonPipelineTests
{
    private static readonly JsonObject MigrateNamespace = DeliveryFiles.Pipeline("migrate-namespace", "migrate-namespace");
    private static readonly JsonObject FinalizeCluster = DeliveryFiles.Pipeline("finalize-cluster", "finalize-cluster");

    public static TheoryData<string, string> AllPipelines =>
    [
        ("migrate-namespace", "migrate-namespace"),
        ("finalize-cluster", "finalize-cluster"),
        ("migrate-namespace-split", "migrate-namespace-plan"),
        ("migrate-namespace-split", "migrate-namespace-apply"),
        ("migrate-namespace-split", "migrate-namespace-cleanup"),
        ("rollback-namespace", "rollback-namespace"),
    ];

    [Fact]
    public void Migrate_namespace_runs_the_stages_in_order_with_a_gate_before_apply_and_cleanup()
    {
        string[] chain = ["discover", "export", "transform", "plan-report", "approve-apply", "apply", "validate", "validation-report", "approve-cleanup", "cleanup"];
        for (var i = 1; i < chain.Length; i++)
        {
            Assert.Equal([chain[i - 1]], MigrateNamespace.PipelineTask(chain[i]).Strings("runAfter"));
        }

        Assert.Equal(chain, MigrateNamespace.Items("spec", "tasks").Select(t => t.Str("name")));
        Assert.Contains("approve-apply", Ancestors(MigrateNamespace, "apply"));
        Assert.Contains("approve-cleanup", Ancestors(MigrateNamespace, "cleanup"));
        Assert.Contains("approve-apply", Ancestors(MigrateNamespace, "cleanup"));
    }

    [Fact]
    public void Apply_gets_the_plan_sha256_and_cleanup_the_validation_sha256_the_gates_showed()
    {
        Assert.Equal("$(tasks.transform.results.plan-sha256)", MigrateNamespace.PipelineTask("apply").ParamValue("expect-plan-sha256"));
        Assert.Contains("$(tasks.transform.results.plan-sha256)", MigrateNamespace.PipelineTask("approve-apply").ParamValue("description"), StringComparison.Ordinal);
        Assert.Equal("$(tasks.validate.results.validation-sha256)", MigrateNamespace.PipelineTask("cleanup").ParamValue("expect-validation-sha256"));
        Assert.Contains("$(tasks.validate.results.validation-sha256)", MigrateNamespace.PipelineTask("approve-cleanup").ParamValue("description"), StringComparison.Ordinal);
    }

    [Fact]
    public void Approvers_see_the_plan_and_validation_summaries_and_where_the_full_report_is()
    {
        var applyGate = MigrateNamespace.PipelineTask("approve-apply").ParamValue("description")!;
        Assert.Contains("$(tasks.transform.results.plan-summary)", applyGate, StringComparison.Ordinal);
        Assert.Contains("$(context.pipelineRun.name)-plan-report", applyGate, StringComparison.Ordinal);
        var cleanupGate = MigrateNamespace.PipelineTask("approve-cleanup").ParamValue("description")!;
        Assert.Contains("$(tasks.validate.results.validation-summary)", cleanupGate, StringComparison.Ordinal);
        Assert.Contains("$(context.pipelineRun.name)-validation-report", cleanupGate, StringComparison.Ordinal);

        // The reports run the real `odh-migrate report --print` before their gate, so the log is there to read.
        foreach (var report in new[] { "plan-report", "validation-report" })
        {
            Assert.Equal("odh-migration-report", MigrateNamespace.PipelineTask(report).Str("taskRef", "name"));
        }

        var args = Assert.Single(DeliveryFiles.Task("odh-migration-report").Items("spec", "steps")).Strings("args");
        Assert.Equal("report", args[0]);
        var command = OdhMigration.Cli.Commands.ReportCommand.Create(new OdhMigration.Cli.Hosting.CliIo(TextWriter.Null, TextWriter.Null));
        Assert.All(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)), a => Assert.Contains(command.Options, o => o.Name == a));
        Assert.Contains("--print", args);
    }

    [Fact]
    public void Finalize_gets_the_finalize_plan_sha256_its_gate_showed()
    {
        Assert.Equal("$(tasks.preview.results.finalize-plan-sha256)", FinalizeCluster.PipelineTask("finalize").ParamValue("expect-finalize-plan-sha256"));
        Assert.Contains("$(tasks.preview.results.finalize-plan-sha256)", FinalizeCluster.PipelineTask("approve-finalize").ParamValue("description"), StringComparison.Ordinal);
        Assert.Null(FinalizeCluster.PipelineTask("preview").ParamValue("expect-finalize-plan-sha256"));
    }

    [Theory]
    [InlineData("migrate-namespace", "approve-apply")]
    [InlineData("migrate-namespace", "approve-cleanup")]
    [InlineData("finalize-cluster", "approve-finalize")]
    [InlineData("rollback-namespace", "approve-rollback")]
    public void Gates_are_approval_tasks_with_the_controllers_params_and_a_long_timeout(string pipeline, string gate)
    {
        var task = DeliveryFiles.Pipeline(pipeline, pipeline).PipelineTask(gate);
        Assert.Equal("openshift-pipelines.org/v1alpha1", task.Str("taskRef", "apiVersion"));
        Assert.Equal("ApprovalTask", task.Str("taskRef", "kind"));
        Assert.Null(task["taskRef"]!["name"]);

        // A skipped gate would let the task after it run, so gates never carry `when`.
        Assert.Null(task["when"]);
        Assert.Null(task["retries"]);
        Assert.Equal(["approvers", "description", "numberOfApprovalsRequired"], task.Items("params").Select(p => p.Str("name")).Order());
        Assert.Equal(System.Text.Json.JsonValueKind.String, task.Items("params").Single(p => p.Str("name") == "numberOfApprovalsRequired")["value"]!.GetValueKind());
        Assert.True(ParseDuration(task.Str("timeout")!) > TimeSpan.FromHours(24), "a gate must wait longer than a person takes");
    }

    [Theory]
    [InlineData("migrate-namespace", "migrate-namespace")]
    [InlineData("migrate-namespace-split", "migrate-namespace-plan")]
    public void Discover_skips_its_pre_flight_where_every_stage_has_its_own_account(string folder, string name)
    {
        // Its SelfSubjectAccessReview could only speak for discover's read-only account.
        Assert.Equal("true", DeliveryFiles.Pipeline(folder, name).PipelineTask("discover").ParamValue("skip-preflight"));
    }

    [Theory]
    [MemberData(nameof(AllPipelines))]
    public void Cleanup_is_never_retried_and_only_read_only_stages_retry(string folder, string name)
    {
        var pipeline = DeliveryFiles.Pipeline(folder, name);
        string[] readOnly = ["discover", "export", "transform", "validate", "preview", "plan-report", "validation-report", "plan"];
        foreach (var task in pipeline.Items("spec", "tasks"))
        {
            var retries = int.Parse(task.Str("retries") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (retries > 0)
            {
                Assert.Contains(task.Str("name"), readOnly);
                Assert.NotEqual("odh-cleanup", task.Str("taskRef", "name"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllPipelines))]
    public void Every_task_ref_resolves_and_every_param_passed_exists_on_the_task(string folder, string name)
    {
        var pipeline = DeliveryFiles.Pipeline(folder, name);
        foreach (var task in pipeline.Items("spec", "tasks").Concat(pipeline.Items("spec", "finally")))
        {
            if (task.Str("taskRef", "kind") == "ApprovalTask")
            {
                continue;
            }

            var taskName = task.Str("taskRef", "name")!;
            var definition = DeliveryFiles.Task(taskName);
            var declared = definition.Items("spec", "params").Select(p => p.Str("name")).ToHashSet();
            Assert.All(task.Items("params"), p => Assert.True(declared.Contains(p.Str("name")), $"{name}/{task.Str("name")} passes {p.Str("name")}, which {taskName} does not declare"));
            var required = definition.Items("spec", "params").Where(p => p["default"] is null).Select(p => p.Str("name"));
            Assert.All(required, r => Assert.True(task.ParamValue(r!) is not null, $"{name}/{task.Str("name")} misses required param {r}"));
            var workspaces = definition.Items("spec", "workspaces").Where(w => w.Str("optional") != "true").Select(w => w.Str("name"));
            Assert.All(workspaces, w => Assert.Contains(w, task.Items("workspaces").Select(b => b.Str("name"))));
        }

        Assert.Equal("odh-migration-summary", Assert.Single(pipeline.Items("spec", "finally")).Str("taskRef", "name"));
    }

    [Fact]
    public void Split_fallback_hands_the_reviewed_sha256_through_required_params()
    {
        var apply = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-apply");
        Assert.Null(apply.Items("spec", "params").Single(p => p.Str("name") == "plan-sha256")["default"]);
        Assert.Equal("$(params.plan-sha256)", apply.PipelineTask("apply").ParamValue("expect-plan-sha256"));
        Assert.DoesNotContain(apply.Items("spec", "tasks"), t => t.Str("taskRef", "name") == "odh-cleanup");

        var cleanup = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-cleanup");
        Assert.Null(cleanup.Items("spec", "params").Single(p => p.Str("name") == "validation-sha256")["default"]);
        Assert.Equal("$(params.validation-sha256)", cleanup.PipelineTask("cleanup").ParamValue("expect-validation-sha256"));

        var plan = DeliveryFiles.Pipeline("migrate-namespace-split", "migrate-namespace-plan");
        Assert.DoesNotContain(plan.Items("spec", "tasks"), t => t.Str("taskRef", "name") is "odh-apply" or "odh-cleanup");
    }

    [Fact]
    public void Finalize_cluster_previews_as_a_dry_run_then_changes_only_after_its_gate()
    {
        Assert.Equal("true", FinalizeCluster.PipelineTask("preview").ParamValue("dry-run"));
        Assert.Equal("false", FinalizeCluster.PipelineTask("finalize").ParamValue("dry-run"));
        Assert.Contains("approve-finalize", Ancestors(FinalizeCluster, "finalize"));
        Assert.Equal(2, FinalizeCluster.Items("spec", "tasks").Count(t => t.Str("taskRef", "name") == "odh-dsc-finalize"));
    }

    [Fact]
    public void No_pipeline_or_sample_gives_the_workspace_a_run_owned_volume()
    {
        // A volumeClaimTemplate's PVC belongs to its PipelineRun: pruning the run deletes the backups with it.
        var files = Directory.GetFiles(RepoPaths.Tekton, "*.yaml", SearchOption.AllDirectories);
        Assert.True(files.Length > 20, $"only {files.Length} files");
        Assert.All(files, f => Assert.DoesNotContain("volumeClaimTemplate:", File.ReadAllText(f), StringComparison.Ordinal));
        var runs = files.Where(f => f.Contains($"{Path.DirectorySeparatorChar}samples{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => OdhMigration.Core.Manifests.Yaml.ParseDocuments(File.ReadAllText(f), f)).Select(d => (JsonObject)d.Root!)
            .Where(d => d.Str("kind") == "PipelineRun").ToList();
        Assert.True(runs.Count >= 5, $"only {runs.Count} sample runs");
        Assert.All(runs, r => Assert.NotNull(Assert.Single(r.Items("spec", "workspaces"), w => w.Str("name") == "workspace")["persistentVolumeClaim"]));
    }

    private static HashSet<string> Ancestors(JsonObject pipeline, string task)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([task]);
        while (queue.Count > 0)
        {
            foreach (var parent in pipeline.PipelineTask(queue.Dequeue()).Strings("runAfter"))
            {
                if (seen.Add(parent))
                {
                    queue.Enqueue(parent);
                }
            }
        }

        return seen;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, "^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");
        Assert.True(match.Success && text.Length > 0, $"not a Go duration: {text}");
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3));
    }
}
