using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>
/// Runs one golden case: the real discover -> export -> transform engines over a SnapshotCluster built from the
/// case's snapshot.yaml plus upstream fixtures read from ../shared (never copied into the repository), into a
/// temporary workspace.
/// </summary>
public sealed class ModelMeshCaseRunner : IDisposable
{
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public ModelMeshCaseRunner(string caseName)
    {
        CaseDir = Path.Combine(RepoPaths.Root, "tests", "OdhMigration.Core.Tests", "Transform", "ModelMesh", "Cases", caseName);
        Case = (JsonObject)Yaml.ParseSingle(File.ReadAllText(Path.Combine(CaseDir, "case.yaml")), "case.yaml")!;
        Workspace = Path.Combine(Path.GetTempPath(), "mm-case-" + caseName + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Workspace);
    }

    public string CaseDir { get; }
    public JsonObject Case { get; }
    public string Workspace { get; }
    public WorkspaceLayout Layout => new(Workspace);
    public MemoryStageLog Log { get; } = new();

    public static IEnumerable<string> AllCases() =>
        Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, "tests", "OdhMigration.Core.Tests", "Transform", "ModelMesh", "Cases"))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public Task<(StageOutcome Outcome, Plan Plan)> RunAsync(CancellationToken ct = default) => RunAsync(null, ct);

    /// <summary>The chain, with a hook between export and transform (to change what export recorded).</summary>
    public async Task<(StageOutcome Outcome, Plan Plan)> RunAsync(Action? beforeTransform, CancellationToken ct = default)
    {
        var cluster = new SnapshotCluster(SnapshotLoader.FromDocuments(Documents()), "snapshot case");
        var clock = new FixedClock();
        var discover = Case["discover"] as JsonObject ?? [];
        await new DiscoverEngine(cluster, Log, clock).RunAsync(new DiscoverOptions
        {
            Namespaces = Strings(discover["namespaces"]),
            Select = Strings(discover["select"]),
            Mode = "modelmesh",
        }, Layout, ct);
        var export = Case["export"] as JsonObject ?? [];
        await new ExportEngine(cluster, Log, clock).RunAsync(new ExportOptions { TemplateNamespace = export.Str("templateNamespace") }, Layout, ct);
        beforeTransform?.Invoke();
        var transform = Case["transform"] as JsonObject ?? [];
        var outcome = await new TransformEngine(Log, TransformerCatalog.All, clock).RunAsync(new TransformOptions
        {
            Strategy = transform.Str("strategy"),
            TargetNamespace = transform.Str("targetNamespace"),
            Visibility = transform.Str("visibility") ?? "preserve",
            IgnoreExistingNamespace = transform["ignoreExistingNamespace"]?.GetValueKind() == JsonValueKind.True,
            CopyPermissions = transform["copyPermissions"]?.GetValueKind() == JsonValueKind.True,
            Opset1 = transform.Str("opset1") ?? "compat",
            OvmsAutoVersioning = transform["noOvmsAutoVersioning"]?.GetValueKind() != JsonValueKind.True,
            RuntimeTemplates = Map(transform["runtimeTemplates"]),
            StoragePaths = Map(transform["storagePaths"]),
            StorageUris = Map(transform["storageUris"]),
            TemplateNamespace = transform.Str("templateNamespace"),
        }, Layout, ct);
        var plan = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Layout.Plan, ct), PlanJsonContext.Default.Plan)!;
        AssertPlannedKServeObjectsValidate(plan);
        return (outcome, plan);
    }

    /// <summary>Every variant a rule test builds is held to the CRD schemas too, not only the golden cases.</summary>
    private void AssertPlannedKServeObjectsValidate(Plan plan)
    {
        var errors = new List<string>();
        foreach (var file in plan.Items.Where(i => i.Status == "ok").SelectMany(i => i.Files).Where(f => f.Kind is "InferenceService" or "ServingRuntime"))
        {
            var obj = (JsonObject)Yaml.ParseSingle(File.ReadAllText(Layout.Absolute(file.Path)), file.Path)!;
            foreach (var crdSet in new[] { "odh-stable-2.x", "odh-master" })
            {
                errors.AddRange(Schema.CrdSchemaValidator.Validate("kserve/" + crdSet, obj).Select(e => $"{file.Path}: {crdSet}: {e}"));
            }
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>Writes namespace facts files (as a future export would) before transform runs again.</summary>
    public void WriteNamespaceFacts(string ns, string fileName, string yaml)
    {
        Directory.CreateDirectory(Layout.NamespaceFacts(ns));
        File.WriteAllText(Path.Combine(Layout.NamespaceFacts(ns), fileName), yaml);
    }

    private List<YamlDocument> Documents()
    {
        var documents = new List<YamlDocument>();
        if (Case.Str("snapshot") is { } snapshot)
        {
            var path = Path.GetFullPath(Path.Combine(CaseDir, snapshot));
            documents.AddRange(Yaml.ParseDocuments(File.ReadAllText(path), Path.GetFileName(path)));
        }

        foreach (var group in (Case["fixtures"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ns = group.Str("namespace")!;
            foreach (var relative in Strings(group["paths"]))
            {
                var path = Path.Combine(RepoPaths.Shared, "fixtures", "upstream", relative);
                foreach (var document in Yaml.ParseDocuments(File.ReadAllText(path), relative))
                {
                    if (document.Root is not JsonObject obj)
                    {
                        continue;
                    }

                    // ODH does not install ClusterServingRuntimes; upstream ModelMesh ships its runtimes that way,
                    // so they become namespaced runtimes of the case's namespace.
                    if (obj.Kind() == "ClusterServingRuntime")
                    {
                        obj["kind"] = "ServingRuntime";
                    }

                    obj.Metadata()["namespace"] = ns;
                    documents.Add(new YamlDocument(obj, relative, document.Line));
                }
            }
        }

        documents.AddRange(ExtraObjects.Select(o => new YamlDocument(o.DeepCopy(), "extra object of the test", 0)));
        return documents;
    }

    /// <summary>Objects a test adds to the case's cluster (e.g. a second Template).</summary>
    public List<JsonObject> ExtraObjects { get; } = [];

    /// <summary>An object of the case's snapshot, for a test to copy and vary.</summary>
    public JsonObject SnapshotObject(string kind, string name) =>
        Documents().Select(d => d.Root).OfType<JsonObject>().First(o => o.Kind() == kind && o.Name() == name).DeepCopy();

    private static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    private static Dictionary<string, string> Map(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    public void Dispose()
    {
        if (Directory.Exists(Workspace))
        {
            Directory.Delete(Workspace, recursive: true);
        }
    }
}
