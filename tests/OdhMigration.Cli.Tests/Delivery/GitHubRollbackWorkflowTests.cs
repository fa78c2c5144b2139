using System.Text.Json.Nodes;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// The way back in GitHub Actions (.github/workflows/odh-rollback.yml): a dry-run job whose summary shows the rollback
/// plan, then the rollback job in a gated environment, bound to the sha256 the dry run reported; the same hardening as
/// odh-migrate.yml.
/// </summary>
public sealed class GitHubRollbackWorkflowTests
{
    private static readonly JsonObject Workflow = DeliveryFiles.Single(".github", "workflows", "odh-rollback.yml");
    private static readonly JsonObject Migrate = DeliveryFiles.Single(".github", "workflows", "odh-migrate.yml");

    private static JsonObject Job(string name) => Workflow["jobs"]![name]!.AsObject();

    private static JsonObject RunStep(string job) => Job(job).Items("steps").Single(s => s.Str("id") == "run");

    [Fact]
    public void A_dry_run_job_then_the_rollback_in_its_gated_environment()
    {
        Assert.Equal(["plan", "rollback"], Workflow["jobs"]!.AsObject().Select(j => j.Key));
        Assert.Equal("plan", Job("rollback").Str("needs"));
        Assert.Equal("${{ inputs.rollback-environment }}", Job("rollback").Str("environment"));
        Assert.Null(Job("plan")["environment"]);
        Assert.Contains("--dry-run true", RunStep("plan").Str("run"), StringComparison.Ordinal);
        Assert.DoesNotContain("--dry-run", RunStep("rollback").Str("run"), StringComparison.Ordinal);

        // The write-capable token only in the gated job; the dry run reads with the read-only one.
        Assert.Contains(Job("plan").Items("steps"), s => s.Str("env", "TOKEN") == "${{ secrets.OPENSHIFT_READ_TOKEN }}");
        Assert.Contains(Job("rollback").Items("steps"), s => s.Str("env", "TOKEN") == "${{ secrets.OPENSHIFT_ROLLBACK_TOKEN }}");
        Assert.DoesNotContain("OPENSHIFT_ROLLBACK_TOKEN", Job("plan").ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_rollback_verifies_the_sha256_the_dry_run_reported_and_always_requires_the_gate()
    {
        Assert.Equal("${{ steps.run.outputs.rollback-plan-sha256 }}", Job("plan").Str("outputs", "rollback-plan-sha256"));
        var run = RunStep("rollback");
        Assert.Equal("${{ needs.plan.outputs.rollback-plan-sha256 }}", run.Str("env", "ROLLBACK_PLAN_SHA256"));
        Assert.Contains("--require-gate true --expect-rollback-sha256 \"$ROLLBACK_PLAN_SHA256\"", run.Str("run"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_dry_run_writes_the_plan_summary_and_rollback_plan_md_to_the_job_summary()
    {
        var run = RunStep("plan").Str("run")!;
        Assert.Contains("cat \"$RUNNER_TEMP/results/rollback-summary\"", run, StringComparison.Ordinal);
        Assert.Contains("odh-workspace/rollback-plan.md", run, StringComparison.Ordinal);
        Assert.Contains(">> \"$GITHUB_STEP_SUMMARY\"", run, StringComparison.Ordinal);
    }

    [Fact]
    public void It_starts_from_the_migration_runs_workspace_and_shares_its_concurrency_group()
    {
        var download = Job("plan").Items("steps").First();
        Assert.StartsWith("actions/download-artifact@", download.Str("uses"), StringComparison.Ordinal);
        Assert.Equal("${{ inputs.workspace-run-id }}", download.Str("with", "run-id"));
        Assert.Equal("${{ inputs.workspace-artifact }}", download.Str("with", "name"));
        Assert.Equal(Migrate.Str("concurrency", "group"), Workflow.Str("concurrency", "group"));
        Assert.Equal("false", Workflow.Str("concurrency", "cancel-in-progress"));
        Assert.Equal("""{"contents":"read","actions":"read"}""", Workflow["permissions"]!.ToJsonString());
        Assert.All(Workflow["jobs"]!.AsObject(), j => Assert.Null(j.Value!["permissions"]));
    }

    [Fact]
    public void Same_hardening_as_the_migration_workflow()
    {
        var guard = Migrate["jobs"]!["discover"]!.Items("steps").Single(s => s.Str("id") == "secret-guard").Str("run");
        foreach (var (name, job) in Workflow["jobs"]!.AsObject())
        {
            Assert.Equal("${{ startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on }}", job.Str("runs-on"));
            var steps = job!.Items("steps").ToList();
            var run = steps.Single(s => s.Str("id") == "run").Str("run")!;
            Assert.Contains("--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges", run, StringComparison.Ordinal);
            Assert.Contains("-e DOTNET_EnableDiagnostics=0", run, StringComparison.Ordinal);
            Assert.All(steps, s => Assert.DoesNotContain("${{", s.Str("run") ?? "", StringComparison.Ordinal));
            Assert.All(steps, s => Assert.DoesNotContain("kube", s.Str("with", "path") ?? "", StringComparison.OrdinalIgnoreCase));

            var upload = steps.FindIndex(s => s.Str("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
            var guardAt = steps.FindIndex(s => s.Str("id") == "secret-guard");
            Assert.True(guardAt >= 0 && guardAt < upload, $"{name}: the Secret data guard must run before the upload");
            Assert.Equal("always() && steps.secret-guard.outcome == 'success'", steps[upload].Str("if"));
            Assert.Equal(guard, steps[guardAt].Str("run"));
        }
    }

    [Fact]
    public void The_image_input_defaults_to_the_tool_image_the_tekton_task_runs()
    {
        var task = DeliveryFiles.Task("odh-rollback").Items("spec", "params").Single(p => p.Str("name") == "image").Str("default");
        Assert.Equal(task, Workflow.Str("on", "workflow_call", "inputs", "image-rollback", "default"));
    }
}
