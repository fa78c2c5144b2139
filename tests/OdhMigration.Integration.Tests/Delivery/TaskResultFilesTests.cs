using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Run;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Delivery;

/// <summary>
/// Every result a stage's Tekton Task declares is a file the real tool writes into --result-dir on a successful
/// run: a declared result that is never written would leave the pipeline's references to it dangling.
/// </summary>
public sealed class TaskResultFilesTests
{
    private static IReadOnlyList<string> DeclaredResults(string stage)
    {
        var task = Yaml.ParseSingle(File.ReadAllText(Path.Combine(RepoPaths.Root, "tekton", "task", $"odh-{stage}", $"odh-{stage}.yaml")), stage)!;
        return (task["spec"]!["results"] as System.Text.Json.Nodes.JsonArray ?? []).Select(r => r!["name"]!.GetValue<string>()).ToList();
    }

    [Fact]
    public async Task Each_stage_writes_every_result_its_task_declares()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();
        var results = Path.Combine(ws.Path, "results");
        var workspace = Path.Combine(ws.Path, "ws");
        string[] Common(string stage) => ["--workspace", workspace, "--kubeconfig", sim.Kubeconfig, "--result-dir", Path.Combine(results, stage)];

        var runs = new (string Stage, string[] Args)[]
        {
            ("discover", ["discover", .. Common("discover"), "-n", "ml-team"]),
            ("export", ["export", .. Common("export")]),
            ("transform", ["transform", "--workspace", workspace, "--result-dir", Path.Combine(results, "transform")]),
            ("apply", ["apply", .. Common("apply")]),
            ("validate", ["validate", .. Common("validate"), "--timeout", "60"]),
            ("cleanup", ["cleanup", .. Common("cleanup")]),
            ("dsc-finalize", ["dsc-finalize", .. Common("dsc-finalize"), "--dry-run", "true"]),
            ("rollback", ["rollback", .. Common("rollback"), "--dry-run", "true"]),
        };
        foreach (var (stage, args) in runs)
        {
            var run = await Umbrella.RunAsync(args);
            Assert.True(run.ExitCode == 0, $"{stage}: {run}");
            var declared = DeclaredResults(stage);
            Assert.NotEmpty(declared);
            var written = Directory.GetFiles(Path.Combine(results, stage)).Select(Path.GetFileName).ToHashSet();
            Assert.All(declared, name => Assert.True(written.Contains(name), $"{stage}: declared result '{name}' was not written (wrote: {string.Join(", ", written.Order())})"));
            Assert.All(declared, name => Assert.True(new FileInfo(Path.Combine(results, stage, name)).Length < 4096, $"{stage}: result '{name}' is not small"));
        }
    }
}
