using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Schema;
using OdhMigration.Core.Workspace.Documents;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Transform.Serverless;

/// <summary>
/// Golden files: each folder under Cases/ holds snapshot.yaml (plus optional options.yaml) and expected/ with the
/// raw/ and raw-original-names/ files and plan.json (timestamps and consumed hashes blanked). UPDATE_GOLDEN=1
/// rewrites expected/ from the current output; review every regenerated file before committing it.
/// </summary>
public sealed class ServerlessGoldenTests
{
    public static string CasesDir => Path.Combine(RepoPaths.CoreTestProject, "Transform", "Serverless", "Cases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CasesDir).Select(Path.GetFileName).Where(n => !n!.StartsWith('_')).Order(StringComparer.Ordinal))
        {
            data.Add(dir!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_matches_its_golden_files(string caseName)
    {
        var dir = Path.Combine(CasesDir, caseName);
        using var runner = new PipelineRunner();
        var (options, snapshot) = ReadOptions(dir);
        await runner.RunAsync(PipelineRunner.LoadSnapshot(Path.Combine(CasesDir, "_common", "cluster.yaml"), snapshot), options);

        var actual = runner.GeneratedFiles();
        var plan = runner.Plan! with { GeneratedAt = default, Consumed = [] };
        actual["plan.json"] = JsonSerializer.Serialize(plan, PlanJsonContext.Default.Plan) + "\n";

        var expectedDir = Path.Combine(dir, "expected");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(expectedDir))
            {
                Directory.Delete(expectedDir, recursive: true);
            }

            foreach (var (relative, text) in actual)
            {
                var path = Path.Combine(expectedDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(Directory.Exists(expectedDir), $"{expectedDir} missing; run with UPDATE_GOLDEN=1 and review the files");
        var expected = Directory.EnumerateFiles(expectedDir, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(expectedDir, p).Replace('\\', '/'), File.ReadAllText);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys);
        foreach (var (relative, text) in actual)
        {
            Assert.True(expected[relative] == text, $"{caseName}/{relative} differs from the golden file:\n{text}");
        }

        var failed = plan.Items.Count(i => i.Status != "ok");
        Assert.Equal(failed == 0 ? 0 : 1, runner.TransformOutcome!.ExitCode);
        CrdAssert.ValidAgainstCrds(runner.GeneratedObjects());
    }

    /// <summary>options.yaml: strategy, targetNamespace, visibility, and snapshot (to share another case's snapshot).</summary>
    private static (TransformOptions Options, string Snapshot) ReadOptions(string dir)
    {
        var path = Path.Combine(dir, "options.yaml");
        var node = File.Exists(path) ? Yaml.ParseSingle(File.ReadAllText(path), path) as JsonObject ?? [] : [];
        var options = new TransformOptions
        {
            Strategy = node.Str("strategy"),
            TargetNamespace = node.Str("targetNamespace"),
            Visibility = node.Str("visibility") ?? "preserve",
        };
        return (options, Path.GetFullPath(Path.Combine(dir, node.Str("snapshot") ?? "snapshot.yaml")));
    }
}
