using System.CommandLine;
using System.CommandLine.Completions;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.DeliveryGen;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>Every stage's Task and StepAction against the tool's real options (read from the command definitions).</summary>
public sealed class TektonStageTests
{
    public static TheoryData<string> Stages => [.. StageCatalog.All.Select(s => s.Name)];

    private static StageDefinition Stage(string name) => StageCatalog.All.Single(s => s.Name == name);

    [Theory]
    [MemberData(nameof(Stages))]
    public void Every_stage_has_a_task_a_stepaction_and_an_action(string stage)
    {
        var tool = $"odh-{stage}";
        var task = DeliveryFiles.Task(tool);
        Assert.Equal(("tekton.dev/v1", "Task", tool), (task.Str("apiVersion"), task.Str("kind"), task.Str("metadata", "name")));
        var stepAction = DeliveryFiles.StepAction(tool);
        Assert.Equal(("tekton.dev/v1beta1", "StepAction", tool), (stepAction.Str("apiVersion"), stepAction.Str("kind"), stepAction.Str("metadata", "name")));
        var action = DeliveryFiles.Single("github-actions", tool, "action.yml");
        Assert.Equal(tool, action.Str("name"));
        Assert.Equal("composite", action.Str("runs", "using"));
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Task_params_are_the_tools_options_one_to_one(string stage)
    {
        var task = DeliveryFiles.Task($"odh-{stage}");
        var expected = ToolOptions.For(Stage(stage)).Where(o => !ToolOptions.BoundByTask.Contains(o.Name)).Select(o => o.ParamName).Append("image").Order().ToList();
        var actual = task.Items("spec", "params").Select(p => p.Str("name")!).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.All(task.Items("spec", "params"), p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Str("description")), $"param {p.Str("name")} has no description");
            Assert.Matches("^[a-z][a-z0-9-]*$", p.Str("name")!);
            Assert.NotNull(p["default"]);
        });
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Task_args_bind_the_workspace_and_results_and_pass_every_param_to_its_option(string stage)
    {
        var task = DeliveryFiles.Task($"odh-{stage}");
        var step = Assert.Single(task.Items("spec", "steps"));
        Assert.Equal([$"/app/odh-{stage}"], step.Strings("command"));
        Assert.Null(step["script"]);
        Assert.Equal("$(params.image)", step.Str("image"));

        var args = step.Strings("args");
        var pairs = args.Chunk(2).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "<missing>");
        Assert.Equal(args.Count / 2, pairs.Count);
        Assert.Equal("$(workspaces.workspace.path)", pairs["--workspace"]);
        Assert.Equal("/tekton/results", pairs["--result-dir"]);
        foreach (var option in ToolOptions.For(Stage(stage)).Where(o => !ToolOptions.BoundByTask.Contains(o.Name)))
        {
            Assert.True(pairs.TryGetValue(option.Name, out var value), $"{option.Name} is not passed");
            Assert.Equal($"$(params.{option.ParamName})", value);
        }

        Assert.Equal(ToolOptions.For(Stage(stage)).Count, pairs.Count);
    }

    public static TheoryData<string> GatedStages => ["apply", "cleanup", "dsc-finalize", "rollback"];

    [Theory]
    [MemberData(nameof(GatedStages))]
    public void Every_gated_stage_always_requires_its_gate_in_task_stepaction_and_action(string stage)
    {
        Assert.True(ToolOptions.IsGated(ToolOptions.For(Stage(stage))), $"odh-{stage} has no {ToolOptions.RequireGate} option");
        var taskArgs = Assert.Single(DeliveryFiles.Task($"odh-{stage}").Items("spec", "steps")).Strings("args");
        var stepActionArgs = DeliveryFiles.StepAction($"odh-{stage}").Strings("spec", "args");
        foreach (var args in new[] { taskArgs, stepActionArgs })
        {
            var at = args.ToList().IndexOf(ToolOptions.RequireGate);
            Assert.True(at >= 0 && at % 2 == 0 && args[at + 1] == "true", $"odh-{stage}: {ToolOptions.RequireGate} true is not in the args: {string.Join(' ', args)}");
        }

        // Never a param or input: whoever creates the TaskRun cannot switch the gate off.
        Assert.DoesNotContain(DeliveryFiles.Task($"odh-{stage}").Items("spec", "params"), p => p.Str("name") == "require-gate");
        Assert.DoesNotContain(DeliveryFiles.StepAction($"odh-{stage}").Items("spec", "params"), p => p.Str("name") == "require-gate");
        var action = File.ReadAllText(Path.Combine(RepoPaths.Root, "github-actions", $"odh-{stage}", "action.yml"));
        Assert.Contains("args+=(--require-gate true)", action, StringComparison.Ordinal);
        Assert.DoesNotContain("  require-gate:", action, StringComparison.Ordinal);

        // The Task's expected sha256 param reaches the tool even when empty (the tool then refuses, exit 3).
        var expect = Assert.Single(ToolOptions.For(Stage(stage)), o => o.Name.StartsWith("--expect-", StringComparison.Ordinal) && o.Name.EndsWith("-sha256", StringComparison.Ordinal));
        string[] kept = CliApp.WithoutEmptyOptions([expect.Name, "", ToolOptions.RequireGate, "true"]);
        Assert.Equal([expect.Name, "", ToolOptions.RequireGate, "true"], kept);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Task_args_parse_through_the_real_command_and_reach_each_option(string stage)
    {
        var definition = Stage(stage);
        var task = DeliveryFiles.Task($"odh-{stage}");
        var root = definition.CreateRoot(new CliIo(TextWriter.Null, TextWriter.Null));
        var values = task.Items("spec", "params").ToDictionary(p => p.Str("name")!, p => SampleValue(root, p.Str("name")!, p.Str("default") ?? ""));
        var args = Assert.Single(task.Items("spec", "steps")).Strings("args")
            .Select(a => a == "$(workspaces.workspace.path)" ? "/workspace/workspace" : a)
            .Select(a => a.StartsWith("$(params.", StringComparison.Ordinal) ? values[a[9..^1]] : a)
            .ToArray();

        var parse = root.Parse(args);

        // Every param filled at once puts --snapshot beside --kubeconfig/--context, which the tools refuse
        // (docs/hostile-input.md); in a real run the unused ones are empty and dropped before parsing.
        var errors = parse.Errors.Where(e => !e.Message.StartsWith("--snapshot cannot be combined", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Message)));
        foreach (var (param, value) in values.Where(v => v.Key != "image"))
        {
            var option = root.Options.Single(o => o.Name == "--" + param);
            var result = parse.GetResult(option);
            Assert.NotNull(result);
            Assert.Equal([value], result.Tokens.Select(t => t.Value));
        }
    }

    /// <summary>The param's default when it has one, else a value the option accepts (so the parse is meaningful).</summary>
    private static string SampleValue(RootCommand root, string param, string defaultValue)
    {
        if (defaultValue.Length > 0 || param == "image")
        {
            return defaultValue;
        }

        var option = root.Options.Single(o => o.Name == "--" + param);
        if (param.EndsWith("-sha256", StringComparison.Ordinal))
        {
            return new string('a', 64); // a gate's value must look like a sha256 to parse
        }

        var accepted = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).FirstOrDefault();
        return accepted ?? ((option.Description ?? "").Contains("=<", StringComparison.Ordinal) ? "name=value" : "sample");
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void StepAction_params_are_every_option_and_its_args_pass_them(string stage)
    {
        var stepAction = DeliveryFiles.StepAction($"odh-{stage}");
        var all = ToolOptions.For(Stage(stage));
        var options = all.Where(o => o.Name != ToolOptions.RequireGate).ToList();
        Assert.Equal(options.Select(o => o.ParamName).Append("image").Order(), stepAction.Items("spec", "params").Select(p => p.Str("name")!).Order());
        var args = stepAction.Strings("spec", "args");
        string[] gate = ToolOptions.IsGated(all) ? [ToolOptions.RequireGate, "true"] : [];
        Assert.Equal(gate.Concat(options.SelectMany(o => new[] { o.Name, $"$(params.{o.ParamName})" })), args);
        Assert.Equal([$"/app/odh-{stage}"], stepAction.Strings("spec", "command"));
        Assert.Null(stepAction["spec"]!["script"]);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Steps_run_non_root_without_privilege_escalation_or_capabilities(string stage)
    {
        var steps = DeliveryFiles.Task($"odh-{stage}").Items("spec", "steps").Append(DeliveryFiles.StepAction($"odh-{stage}")["spec"]!.AsObject());
        Assert.All(steps, step =>
        {
            Assert.Equal("true", step.Str("securityContext", "runAsNonRoot"));
            Assert.Equal("false", step.Str("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], step.Strings("securityContext", "capabilities", "drop"));
            Assert.Null(step["securityContext"]!["runAsUser"]);
        });
    }

    [Fact]
    public void Every_task_in_the_repository_runs_its_tool_without_a_shell_as_non_root()
    {
        var tasks = Directory.GetDirectories(Path.Combine(RepoPaths.Tekton, "task")).Select(d => Path.GetFileName(d)!).ToList();
        Assert.Contains("odh-migration-summary", tasks);
        foreach (var step in tasks.SelectMany(t => DeliveryFiles.Task(t).Items("spec", "steps")))
        {
            Assert.Null(step["script"]);
            Assert.StartsWith("/app/odh-", Assert.Single(step.Strings("command")), StringComparison.Ordinal);
            Assert.Equal("true", step.Str("securityContext", "runAsNonRoot"));
            Assert.Equal("false", step.Str("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], step.Strings("securityContext", "capabilities", "drop"));
        }
    }

    /// <summary>tekton-lint's prefer-kebab-case rule is off (it also flags ApprovalTask's own camelCase params); this holds our declarations to it instead.</summary>
    [Fact]
    public void Every_declared_param_in_tekton_is_kebab_case_and_described()
    {
        var files = Directory.GetFiles(RepoPaths.Tekton, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}rbac{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}samples{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var declarations = files.SelectMany(f => OdhMigration.Core.Manifests.Yaml.ParseDocuments(File.ReadAllText(f), f).Select(d => (File: f, Root: d.Root)))
            .SelectMany(d => d.Root.Items("spec", "params").Select(p => (d.File, Param: p)))
            .ToList();
        Assert.True(declarations.Count > 50, $"only {declarations.Count} param declarations found");
        Assert.All(declarations, d =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", d.Param.Str("name") ?? "");
            Assert.False(string.IsNullOrWhiteSpace(d.Param.Str("description")), $"{d.File}: param {d.Param.Str("name")} has no description");
        });
    }

    [Fact]
    public void The_summary_task_passes_its_params_to_the_real_pipeline_summary_command()
    {
        var step = Assert.Single(DeliveryFiles.Task("odh-migration-summary").Items("spec", "steps"));
        var args = step.Strings("args");
        Assert.Equal("pipeline-summary", args[0]);
        var command = OdhMigration.Cli.Commands.PipelineSummaryCommand.Create(new OdhMigration.Cli.Hosting.CliIo(TextWriter.Null, TextWriter.Null));
        foreach (var option in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.Contains(command.Options, o => o.Name == option);
        }

        Assert.Equal("$(params.task-statuses[*])", args[^1]);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Task_results_are_small_and_declared(string stage)
    {
        var task = DeliveryFiles.Task($"odh-{stage}");
        var results = task.Items("spec", "results").Select(r => r.Str("name")!).ToList();
        Assert.Contains("verdict", results);
        Assert.InRange(results.Count(r => r.EndsWith("-sha256", StringComparison.Ordinal)), 1, 2);
        Assert.InRange(results.Count, 2, 6);
        Assert.Equal(StageDelivery.Of(stage).Results.Select(r => r.Name), results);
    }

    [Fact]
    public void Task_and_stepaction_files_exist_only_for_real_stages()
    {
        var stages = StageCatalog.All.Select(s => $"odh-{s.Name}").ToHashSet();
        var stepActions = Directory.GetDirectories(Path.Combine(RepoPaths.Tekton, "stepaction")).Select(d => Path.GetFileName(d)!);
        Assert.All(stepActions, s => Assert.Contains(s, stages));
        var tasks = Directory.GetDirectories(Path.Combine(RepoPaths.Tekton, "task")).Select(d => Path.GetFileName(d)!).Where(t => t is not "odh-migration-summary" and not "odh-migration-report");
        Assert.Equal(stages.Order(), tasks.Order());
    }
}
