using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Schema;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>
/// Golden tests: each case's generated manifests and plan (minus timestamps and input hashes) must equal the files
/// under Cases/&lt;case&gt;/expected/. UPDATE_GOLDEN=1 rewrites them; review every change by eye.
/// </summary>
public sealed class ModelMeshGoldenTests
{
    public static TheoryData<string> Cases() => new(ModelMeshCaseRunner.AllCases());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_matches_its_golden_files(string caseName)
    {
        using var run = new ModelMeshCaseRunner(caseName);
        var (_, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        var actual = Actual(run, plan);
        var expectedDir = Path.Combine(run.CaseDir, "expected");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(expectedDir))
            {
                Directory.Delete(expectedDir, recursive: true);
            }

            foreach (var (path, text) in actual)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(expectedDir, path))!);
                await File.WriteAllTextAsync(Path.Combine(expectedDir, path), text, TestContext.Current.CancellationToken);
            }
        }

        var expected = Directory.EnumerateFiles(expectedDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(expectedDir, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, text) in actual)
        {
            Assert.True(expected[path] == text, $"{caseName}: {path} differs from the golden file (UPDATE_GOLDEN=1 to regenerate, then review)\n{text}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_generated_object_validates_against_the_crd_schemas(string caseName)
    {
        using var run = new ModelMeshCaseRunner(caseName);
        var (_, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        var errors = new List<string>();
        var checkedObjects = 0;
        foreach (var file in plan.Items.SelectMany(i => i.Files))
        {
            var obj = (JsonObject)Yaml.ParseSingle(File.ReadAllText(run.Layout.Absolute(file.Path)), file.Path)!;
            if (obj.Kind() is not ("InferenceService" or "ServingRuntime"))
            {
                continue; // core kinds have no CRD; the KServe kinds are what the migration generates
            }

            foreach (var crdSet in new[] { "odh-stable-2.x", "odh-master" })
            {
                errors.AddRange(CrdSchemaValidator.Validate("kserve/" + crdSet, obj).Select(e => crdSet + ": " + e));
                checkedObjects++;
            }
        }

        Assert.Empty(errors);
        Assert.True(checkedObjects > 0 || plan.Items.All(i => i.Status != "ok"), "no object was checked");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_item_is_planned_or_refused_with_a_reason(string caseName)
    {
        using var run = new ModelMeshCaseRunner(caseName);
        var (_, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(plan.Items);
        Assert.All(plan.Items, i => Assert.True(i.Status == "ok" ? i.Create.Count > 0 : !string.IsNullOrWhiteSpace(i.Error), $"{i.Namespace}/{i.Name}: {i.Status} {i.Error}"));
    }

    private static Dictionary<string, string> Actual(ModelMeshCaseRunner run, Plan plan)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in plan.Items)
        {
            foreach (var file in item.Files)
            {
                files[file.Path] = File.ReadAllText(run.Layout.Absolute(file.Path));
            }
        }

        var stable = plan with { GeneratedAt = default, Consumed = [] };
        files["plan.json"] = JsonSerializer.Serialize(stable, PlanJsonContext.Default.Plan) + "\n";
        return files;
    }
}
