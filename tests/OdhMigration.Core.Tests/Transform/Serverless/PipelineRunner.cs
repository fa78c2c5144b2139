using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Transform.Serverless;

/// <summary>Runs the real discover -> export -> transform engines on a snapshot into a temporary workspace.</summary>
public sealed class PipelineRunner : IDisposable
{
    public PipelineRunner() => Layout = new WorkspaceLayout(Directory.CreateTempSubdirectory("odh-transform-test-").FullName);

    public WorkspaceLayout Layout { get; }

    public MemoryStageLog Log { get; } = new();

    public StageOutcome? TransformOutcome { get; private set; }

    public Plan? Plan { get; private set; }

    public Inventory? Inventory { get; private set; }

    public static IReadOnlyList<SnapshotObject> LoadSnapshot(params string[] files) =>
        SnapshotLoader.FromDocuments(files.SelectMany(f => Yaml.ParseDocuments(File.ReadAllText(f), f)));

    public async Task RunAsync(IReadOnlyList<SnapshotObject> snapshot, TransformOptions options)
    {
        var cluster = new SnapshotCluster(snapshot, "test snapshot");
        var (_, inventory) = await new DiscoverEngine(cluster, Log).RunAsync(new DiscoverOptions { AllNamespaces = true }, Layout);
        Inventory = inventory;
        await new ExportEngine(cluster, Log).RunAsync(new ExportOptions(), Layout);
        TransformOutcome = await new TransformEngine(Log, TransformerCatalog.All).RunAsync(options, Layout);
        Plan = (await WorkspaceDocuments.ReadPlanAsync(Layout)).Document;
    }

    /// <summary>Every generated file (raw/ and raw-original-names/), workspace-relative, with its text.</summary>
    public SortedDictionary<string, string> GeneratedFiles()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Layout.Root, "*.yaml", SearchOption.AllDirectories))
        {
            var relative = Layout.Relative(path);
            var parts = relative.Split('/');
            if (parts.Length == 4 && parts[2] is WorkspaceLayout.RawDir or WorkspaceLayout.RawOriginalNamesDir)
            {
                files[relative] = File.ReadAllText(path);
            }
        }

        return files;
    }

    public IEnumerable<JsonObject> GeneratedObjects() =>
        GeneratedFiles().Select(f => (JsonObject)Yaml.ParseSingle(f.Value, f.Key)!);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Layout.Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
