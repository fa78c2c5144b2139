using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Transform;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Transform.Serverless;

/// <summary>
/// Every Serverless or unannotated v1beta1 ISVC among shared/fixtures/upstream is transformed or refused with a
/// reason: nothing is silently skipped. Each runs alone in a snapshot with the cluster default Serverless and a
/// matching single-model runtime.
/// </summary>
public sealed class UpstreamFixtureTests
{
    public static TheoryData<string, int> Fixtures()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, _) in ServerlessIsvcs())
        {
            data.Add(Path.GetRelativePath(FixturesRoot, file).Replace('\\', '/'), index);
        }

        return data;
    }

    private static string FixturesRoot => Path.Combine(RepoPaths.Shared, "fixtures", "upstream");

    [Fact]
    public void Fixture_set_is_not_empty() => Assert.True(ServerlessIsvcs().Count() >= 5, "expected several Serverless ISVC fixtures");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_isvc_is_planned_or_refused_with_a_reason(string relativeFile, int index)
    {
        var isvc = ServerlessIsvcs().Single(f => Path.GetRelativePath(FixturesRoot, f.File).Replace('\\', '/') == relativeFile && f.Index == index).Isvc;
        using var runner = await RunAloneAsync(isvc, relativeFile, withRuntime: true, new TransformOptions());

        var inventoryItem = Assert.Single(runner.Inventory!.Items);
        var planItem = runner.Plan!.Items.SingleOrDefault();
        if (planItem is null)
        {
            Assert.False(inventoryItem.Selected);
            Assert.True(inventoryItem.Blockers.Count > 0, $"{relativeFile}#{index}: not planned and no blocker explains why ({string.Join("; ", inventoryItem.Reasons)})");
            return;
        }

        if (planItem.Status == "ok")
        {
            CrdAssert.ValidAgainstCrds(runner.GeneratedObjects());
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(planItem.Error), $"{relativeFile}#{index}: refused without a reason");
        }
    }

    /// <summary>
    /// The outcome of every fixture, pinned: which are refused and for what, so a refusal for the wrong reason (or
    /// a new refusal) fails here instead of passing as "some reason was given".
    /// </summary>
    [Fact]
    public async Task Only_the_expected_fixtures_are_refused_and_for_the_expected_reason()
    {
        var expectedRefusals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kserve-odh/samples/explanation__alibi__income__income.yaml#0"] = "spec.explainer.alibi is no longer part of the InferenceService schema",
            ["kserve-odh/samples/v1beta1__transformer__collocation__collocation.yaml#0"] = "blocked: spec.predictor.model.runtime is not set and spec.predictor.model.modelFormat.name is missing",
        };
        var outcomes = new List<string>();
        foreach (var (file, index, original) in ServerlessIsvcs())
        {
            var relative = Path.GetRelativePath(FixturesRoot, file).Replace('\\', '/') + "#" + index;
            using var runner = await RunAloneAsync(original, relative, withRuntime: true, new TransformOptions());
            var planItem = runner.Plan!.Items.SingleOrDefault();
            var reason = planItem is null ? "blocked: " + string.Join("; ", runner.Inventory!.Items.Single().Blockers) : planItem.Status == "ok" ? null : planItem.Error;
            if (reason is not null)
            {
                outcomes.Add($"{relative} => {reason}");
            }
        }

        var unexpected = outcomes.Where(o => !expectedRefusals.Any(e => o.StartsWith(e.Key + " => ", StringComparison.Ordinal) && o.Contains(e.Value, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "refused unexpectedly (or for another reason):\n" + string.Join("\n", unexpected));
        Assert.Equal(expectedRefusals.Count, outcomes.Count);
    }

    /// <summary>Older InferenceService versions among the fixtures are found by discover and blocked with the reason, never skipped.</summary>
    [Fact]
    public async Task Isvcs_of_an_api_version_no_longer_served_are_blocked_with_the_reason()
    {
        var old = FixtureObjects().Select(f => f.Object).Where(o => o.Kind() == "InferenceService" && o.ApiVersion() != Kinds.InferenceService.ApiVersion).ToList();
        Assert.NotEmpty(old);
        foreach (var original in old)
        {
            using var runner = await RunAloneAsync(original, "old", withRuntime: false, new TransformOptions());
            var item = Assert.Single(runner.Inventory!.Items);
            Assert.False(item.Selected);
            Assert.Contains(item.Blockers, b => b.Contains($"apiVersion {original.ApiVersion()} is no longer served", StringComparison.Ordinal));
        }
    }

    private static IEnumerable<(string File, int Index, JsonObject Isvc)> ServerlessIsvcs()
    {
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (file, obj) in FixtureObjects().Where(f => f.Object.Kind() == "InferenceService" && f.Object.ApiVersion() == Kinds.InferenceService.ApiVersion))
        {
            var index = indexes.GetValueOrDefault(file);
            indexes[file] = index + 1;
            if (ModeResolution.Resolve(obj, DeploymentMode.Serverless).Mode == DeploymentMode.Serverless)
            {
                yield return (file, index, obj);
            }
        }
    }

    /// <summary>Every object in every parsable YAML file of the upstream fixtures, in file order.</summary>
    internal static IEnumerable<(string File, JsonObject Object)> FixtureObjects()
    {
        foreach (var file in Directory.EnumerateFiles(FixturesRoot, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            IReadOnlyList<YamlDocument> docs;
            try
            {
                docs = Yaml.ParseDocuments(File.ReadAllText(file), file);
            }
            catch (ManifestFormatException)
            {
                continue; // not YAML (templated placeholders); holds no parsable object
            }

            foreach (var obj in docs.Select(d => d.Root).OfType<JsonObject>())
            {
                yield return (file, obj);
            }
        }
    }

    /// <summary>
    /// discover -> export -> transform on a cluster holding only this object (in namespace "fixtures" unless it has
    /// one), the common cluster objects and, when asked, a single-model runtime for it.
    /// </summary>
    internal static async Task<PipelineRunner> RunAloneAsync(JsonObject original, string source, bool withRuntime, TransformOptions options, params JsonObject[] others)
    {
        var obj = original.DeepCopy();
        var ns = obj.Namespace() ?? "fixtures";
        obj.Metadata()["namespace"] = ns;
        var objects = new List<JsonNode> { obj };
        if (withRuntime)
        {
            objects.Add(Runtime(obj, ns));
        }

        objects.AddRange(others);
        objects.AddRange(Yaml.ParseDocuments(File.ReadAllText(Path.Combine(ServerlessGoldenTests.CasesDir, "_common", "cluster.yaml")), "cluster").Select(d => d.Root!));
        var runner = new PipelineRunner();
        await runner.RunAsync(SnapshotLoader.FromDocuments(objects.Select(o => new YamlDocument(o, source, 1))), options);
        return runner;
    }

    /// <summary>A single-model runtime for the ISVC: the one it names, else one that auto-selects its model format.</summary>
    private static JsonObject Runtime(JsonObject isvc, string ns)
    {
        var (format, version) = RuntimeResolver.ModelFormat(isvc);
        var name = isvc.At("spec", "predictor", "model").Str("runtime") ?? "fixture-runtime";
        var runtime = Manifest.NewObject(Kinds.ServingRuntime, name, ns);
        var supported = new JsonObject { ["name"] = format ?? "custom", ["autoSelect"] = true };
        if (version is not null)
        {
            supported["version"] = version;
        }

        runtime["spec"] = new JsonObject
        {
            ["supportedModelFormats"] = new JsonArray(supported),
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "quay.io/example/server:1.0" }),
        };
        return runtime;
    }
}
