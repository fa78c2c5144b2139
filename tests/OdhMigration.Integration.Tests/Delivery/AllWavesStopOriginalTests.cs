using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Run;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// pipelineruns --all-waves against the simulator: each wave's PipelineRun is followed through migrate-namespace's
/// discover, export, transform and apply, with each tool's arguments taken from the Tasks' args as the pipeline and
/// the run's params fill them in. A wave whose local plan says stopOriginalsFirst has its Serverless originals
/// stopped by that run's apply; the other wave's are left running.
/// </summary>
public sealed partial class AllWavesStopOriginalTests
{
    private const string Ns = "ml-team";
    private const string StopAnnotation = "serving.kserve.io/stop";

    [GeneratedRegex(@"\$\((params|tasks\.([a-z0-9-]+)\.results)\.([a-z0-9-]+)\)")]
    private static partial Regex Reference();

    [Fact]
    public async Task The_run_of_a_stop_originals_first_wave_stops_that_waves_originals_and_only_those()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var local = new TempWorkspace();
        foreach (var args in new[] { ["discover", "-n", Ns, "--kubeconfig", sim.Kubeconfig], ["export", "--kubeconfig", sim.Kubeconfig], new[] { "transform", "--wave-size", "1", "--wave-order", "plan" } })
        {
            var step = await Umbrella.RunAsync([.. args, "--workspace", local.Path]);
            Assert.True(step.ExitCode == 0, $"{args[0]}: {step}");
        }

        // Wave 1 says stopOriginalsFirst, as transform --waves auto writes when only stopped originals make room.
        var plan = Assert.IsType<JsonObject>(JsonNode.Parse(await File.ReadAllTextAsync(local.Layout.Plan, TestContext.Current.CancellationToken)));
        var waves = plan["waves"]!.AsArray();
        Assert.True(waves.Count >= 2, plan.ToJsonString());
        waves.Single(w => w!["number"]!.GetValue<int>() == 1)!["stopOriginalsFirst"] = true;
        await File.WriteAllTextAsync(local.Layout.Plan, plan.ToJsonString(), TestContext.Current.CancellationToken);

        var written = await Umbrella.RunAsync(["pipelineruns", "--workspace", local.Path, "--approvers", "alice", "--all-waves"]);
        Assert.True(written.ExitCode == 0, written.ToString());
        var runs = Yaml.ParseDocuments(written.Stdout, "stdout").Select(d => d.Root).OfType<JsonObject>()
            .Where(d => d["kind"]?.GetValue<string>() == "PipelineRun")
            .ToDictionary(r => r["metadata"]!["labels"]!["odh-migration/wave"]!.GetValue<string>(), StringComparer.Ordinal);

        var stopped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var wave in new[] { "1", "2" })
        {
            var items = await RunThroughApplyAsync(sim, runs[wave]);
            Assert.NotEmpty(items);
            stopped[wave] = items;
        }

        foreach (var name in stopped["1"])
        {
            var original = await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, name, TestContext.Current.CancellationToken);
            Assert.Equal("true", original!.Annotation(StopAnnotation));
        }

        foreach (var name in stopped["2"])
        {
            var original = await sim.Cluster.GetAsync(Kinds.InferenceService, Ns, name, TestContext.Current.CancellationToken);
            Assert.NotNull(original);
            Assert.Null(original.Annotation(StopAnnotation));
        }
    }

    /// <summary>The run's discover, export, transform and apply on a workspace of its own (its PVC); returns the InferenceServices it selected.</summary>
    private static async Task<List<string>> RunThroughApplyAsync(SimulatedCluster sim, JsonObject run)
    {
        using var pvc = new TempWorkspace();
        var results = Path.Combine(pvc.Path, "_results");
        var pipeline = Assert.IsType<JsonObject>(Yaml.ParseSingle(File.ReadAllText(Path.Combine(RepoPaths.Root, "tekton", "pipeline", "migrate-namespace", "migrate-namespace.yaml")), "migrate-namespace"));
        var runParams = run["spec"]!["params"]!.AsArray().Where(p => p!["value"] is JsonValue).ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>(), StringComparer.Ordinal);
        var pipelineParams = pipeline["spec"]!["params"]!.AsArray().Where(p => p!["default"] is JsonValue).ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["default"]!.GetValue<string>(), StringComparer.Ordinal);
        string PipelineValue(string text) => Reference().Replace(text, m => m.Groups[2].Success
            ? File.ReadAllText(Path.Combine(results, m.Groups[2].Value, m.Groups[3].Value)).Trim()
            : runParams.TryGetValue(m.Groups[3].Value, out var given) ? given : pipelineParams[m.Groups[3].Value]);

        foreach (var name in new[] { "discover", "export", "transform", "apply" })
        {
            var pipelineTask = pipeline["spec"]!["tasks"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!;
            var taskName = pipelineTask["taskRef"]!["name"]!.GetValue<string>();
            var passed = pipelineTask["params"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => PipelineValue(p!["value"]!.GetValue<string>()), StringComparer.Ordinal);
            var task = Yaml.ParseSingle(File.ReadAllText(Path.Combine(RepoPaths.Root, "tekton", "task", taskName, taskName + ".yaml")), taskName)!;
            var defaults = task["spec"]!["params"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["default"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
            var args = task["spec"]!["steps"]!.AsArray().Single()!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            for (var i = 0; i < args.Count; i++)
            {
                args[i] = args[i] switch
                {
                    "$(workspaces.workspace.path)" => pvc.Path,
                    "/tekton/results" => Path.Combine(results, name),
                    // In the cluster the step reaches the API server through its ServiceAccount; here, the simulator's kubeconfig.
                    "$(params.kubeconfig)" => sim.Kubeconfig,
                    var arg when arg.StartsWith("$(params.", StringComparison.Ordinal) => passed.TryGetValue(arg[9..^1], out var value) ? value : defaults[arg[9..^1]],
                    var arg => arg,
                };
            }

            Directory.CreateDirectory(Path.Combine(results, name));
            var stage = await Umbrella.RunAsync([name, .. CliApp.WithoutEmptyOptions([.. args])]);
            Assert.True(stage.ExitCode == 0, $"{run["metadata"]!["generateName"]} {name}: {stage}");
        }

        return [.. runParams["select"].Split(',')];
    }
}
