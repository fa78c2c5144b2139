using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.DeliveryGen;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>The reusable workflow's safety wiring and the per-stage actions' inputs against the real options.</summary>
public sealed class GitHubWorkflowTests
{
    private static readonly JsonObject Workflow = DeliveryFiles.Single(".github", "workflows", "odh-migrate.yml");

    private static JsonObject Job(string name) => Workflow["jobs"]![name]!.AsObject();

    [Fact]
    public void Jobs_chain_the_stages_and_environments_gate_apply_and_cleanup()
    {
        string[] chain = ["discover", "export", "transform", "apply", "validate", "cleanup"];
        Assert.Equal(chain, Workflow["jobs"]!.AsObject().Select(j => j.Key));
        for (var i = 1; i < chain.Length; i++)
        {
            Assert.Equal(chain[i - 1], Job(chain[i]).Str("needs"));
        }

        Assert.Equal("${{ inputs.apply-environment }}", Job("apply").Str("environment"));
        Assert.Equal("${{ inputs.cleanup-environment }}", Job("cleanup").Str("environment"));
        Assert.All(chain.Except(["apply", "cleanup"]), j => Assert.Null(Job(j)["environment"]));
    }

    [Fact]
    public void The_project_ci_runs_the_readme_test_command_with_docker_tests_required()
    {
        var ci = DeliveryFiles.Single(".github", "workflows", "ci.yml");
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var filter = System.Text.RegularExpressions.Regex.Match(readme, "dotnet test OdhMigrationTasks.sln (--filter \"[^\"]+\")").Groups[1].Value;
        Assert.NotEmpty(filter);
        var test = ci["jobs"]!["test"]!.AsObject().Items("steps").Single(s => s.Str("run")?.StartsWith("dotnet test", StringComparison.Ordinal) == true);
        Assert.Contains(filter, test.Str("run"), StringComparison.Ordinal);
        Assert.Equal("1", test.Str("env", "ODH_REQUIRE_DOCKER_TESTS"));
    }

    [Fact]
    public void Gated_jobs_verify_the_sha256_the_producer_reported()
    {
        var apply = Job("apply").Items("steps").Single(s => s.Str("id") == "run");
        Assert.Equal("${{ needs.transform.outputs.plan-sha256 }}", apply.Str("env", "PLAN_SHA256"));
        Assert.Contains("--expect-plan-sha256 \"$PLAN_SHA256\"", apply.Str("run"), StringComparison.Ordinal);
        Assert.Equal("${{ steps.run.outputs.plan-sha256 }}", Job("transform").Str("outputs", "plan-sha256"));

        var cleanup = Job("cleanup").Items("steps").Single(s => s.Str("id") == "run");
        Assert.Equal("${{ needs.validate.outputs.validation-sha256 }}", cleanup.Str("env", "VALIDATION_SHA256"));
        Assert.Contains("--expect-validation-sha256 \"$VALIDATION_SHA256\"", cleanup.Str("run"), StringComparison.Ordinal);
    }

    [Fact]
    public void One_run_per_cluster_and_namespace_never_cancelled_with_least_permissions()
    {
        Assert.Equal("false", Workflow.Str("concurrency", "cancel-in-progress"));
        Assert.Contains("inputs.cluster-name", Workflow.Str("concurrency", "group"), StringComparison.Ordinal);
        Assert.Contains("inputs.namespace", Workflow.Str("concurrency", "group"), StringComparison.Ordinal);
        Assert.Equal("""{"contents":"read"}""", Workflow["permissions"]!.ToJsonString());
        Assert.All(Workflow["jobs"]!.AsObject(), j => Assert.Null(j.Value!["permissions"]));
    }

    [Fact]
    public void Kubeconfigs_stay_out_of_artifacts_and_expressions_stay_out_of_scripts()
    {
        foreach (var (name, job) in Workflow["jobs"]!.AsObject())
        {
            foreach (var step in job!.Items("steps"))
            {
                Assert.DoesNotContain("${{", step.Str("run") ?? "", StringComparison.Ordinal);
                Assert.DoesNotContain("kube", step.Str("with", "path") ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TektonStageTests.Stages), MemberType = typeof(TektonStageTests))]
    public void Each_action_has_an_input_per_option_passed_only_when_set(string stage)
    {
        var action = DeliveryFiles.Single("github-actions", $"odh-{stage}", "action.yml");
        var inputs = action["inputs"]!.AsObject().Select(i => i.Key).ToHashSet();
        var options = ToolOptions.For(StageCatalog.All.Single(s => s.Name == stage));
        Assert.All(options.Where(o => o.Name is not "--result-dir" and not ToolOptions.RequireGate), o => Assert.Contains(o.ParamName, inputs));
        var script = Assert.Single(action.Items("runs", "steps")).Str("run")!;
        Assert.DoesNotContain("${{", script, StringComparison.Ordinal);
        Assert.Contains("--user \"$(id -u):$(id -g)\"", script, StringComparison.Ordinal);
        Assert.Contains("--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges", script, StringComparison.Ordinal);
        foreach (var option in options.Where(o => !GitHubActionFile.MountedPaths.Contains(o.Name) && o.Name != ToolOptions.RequireGate))
        {
            var env = GitHubActionFile.EnvName(option.ParamName);
            Assert.Contains($"if [[ -n \"${env}\" ]]; then args+=({option.Name} \"${env}\"); fi", script, StringComparison.Ordinal);
        }
    }
}
