using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using OdhMigration.Cluster.Tests.Live;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cluster.Tests.Simulator;

/// <summary>discover and export through LiveCluster against the in-process API simulator, with a real kubeconfig.</summary>
public sealed class LiveSimulatorTests
{
    private static string Sample => Path.Combine(RepoPaths.Root, "samples", "serverless-basic.yaml");

    /// <summary>Controllers off: the objects stay exactly as in the snapshot, so both backings see the same thing.</summary>
    private static readonly SimulatorOptions Quiet = new()
    {
        KServe = new KServeControllerOptions { Enabled = false },
        TokenController = false,
        GarbageCollector = false,
    };

    private static async Task<(SimulatorHost Host, LiveCluster Cluster, TempWorkspace Dir)> StartAsync(IEnumerable<SnapshotObject> snapshot, SimulatorOptions options)
    {
        var host = await SimulatorHost.StartAsync(options with { Crds = options.Crds ?? OdhMigration.Simulator.Tests.Support.SharedCrdSchemas.OrNull }, snapshot, null, TestContext.Current.CancellationToken);
        var dir = new TempWorkspace();
        var kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        await host.WriteKubeconfigAsync(kubeconfig, "default", TestContext.Current.CancellationToken);
        var cluster = LiveCluster.Connect(new LiveClusterConnection(kubeconfig, null));
        return (host, cluster, dir);
    }

    private static IReadOnlyList<SnapshotObject> Generated(int extraIsvcs)
    {
        var docs = new List<string> { File.ReadAllText(Sample) };
        for (var i = 0; i < extraIsvcs; i++)
        {
            docs.Add($$$$"""
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata: {name: extra-{{{{i}}}}, namespace: fraud-detection, annotations: {serving.kserve.io/deploymentMode: Serverless}}
                spec: {predictor: {model: {modelFormat: {name: onnx, version: "1"}, runtime: fraud-model}}}
                """);
        }

        return SnapshotLoader.FromDocuments(Yaml.ParseDocuments(string.Join("\n---\n", docs), "generated.yaml"));
    }

    [Fact]
    public async Task Live_and_snapshot_give_the_same_inventory_and_export()
    {
        var ct = TestContext.Current.CancellationToken;
        var snapshotObjects = SnapshotLoader.Load(Sample);
        var (host, live, dir) = await StartAsync(snapshotObjects, Quiet);
        await using var _ = host;
        using var __ = live;
        using var ___ = dir;
        // An offline snapshot is what `oc get -o yaml` printed, and a cluster prints custom resources with their schema
        // defaults filled in (the sample file is hand-written without them): default it as the export would be.
        var snapshot = new SnapshotCluster(snapshotObjects.Select(AsExported).ToList(), "snapshot");

        var options = new DiscoverOptions { Namespaces = ["fraud-detection"] };
        using var offlineWs = new TempWorkspace();
        using var liveWs = new TempWorkspace();
        var (_, offline) = await new DiscoverEngine(snapshot, new MemoryStageLog()).RunAsync(options, offlineWs.Layout, ct);
        var (_, online) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(options, liveWs.Layout, ct);

        Assert.Single(offline.Items, i => i.Selected);
        Assert.Equal(Items(offline), Items(online));
        Assert.NotEmpty(online.Preflight); // asked on the live cluster only
        Assert.All(online.Preflight, c => Assert.True(c.Allowed));

        Assert.Equal(0, (await new ExportEngine(snapshot, new MemoryStageLog()).RunAsync(new ExportOptions(), offlineWs.Layout, ct)).ExitCode);
        Assert.Equal(0, (await new ExportEngine(live, new MemoryStageLog()).RunAsync(new ExportOptions(), liveWs.Layout, ct)).ExitCode);
        var offlineFiles = YamlFiles(offlineWs.Layout);
        Assert.Contains("fraud-detection/fraud-model/original/60-inferenceservice-fraud-model.yaml", offlineFiles.Keys);
        Assert.Equal(offlineFiles, YamlFiles(liveWs.Layout));
    }

    private static SnapshotObject AsExported(SnapshotObject loaded)
    {
        if (OdhMigration.Simulator.Tests.Support.SharedCrdSchemas.OrNull?.For(loaded.Kind) is not { } schema)
        {
            return loaded;
        }

        var copy = (JsonObject)loaded.Object.DeepClone();
        OdhMigration.Simulator.Schema.SchemaDefaulter.DefaultRoot(copy, schema);
        return loaded with { Object = copy };
    }

    [Fact]
    public async Task Requests_counted_at_the_simulator_do_not_grow_with_the_number_of_isvcs()
    {
        async Task<long> CountAsync(int extra)
        {
            var ct = TestContext.Current.CancellationToken;
            var (host, live, dir) = await StartAsync(Generated(extra), Quiet);
            await using var _ = host;
            using var __ = live;
            using var ___ = dir;
            host.Requests.Reset();
            var (_, inventory) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["fraud-detection"] }, dir.Layout, ct);
            Assert.Equal(extra + 1, inventory.Items.Count(i => i.Selected));
            var export = await new ExportEngine(live, new MemoryStageLog()).RunAsync(new ExportOptions(), dir.Layout, ct);
            Assert.Equal(ExitCodes.Success, export.ExitCode);
            return host.Requests.Counters.Values.Sum();
        }

        var few = await CountAsync(2);
        var many = await CountAsync(60);
        Assert.Equal(few, many);
    }

    [Fact]
    public async Task Discover_survives_injected_429s_by_retrying()
    {
        var options = Quiet with { Faults = new FaultSettings(Rate: 0.5, Kinds: ["429"], Resources: ["inferenceservices"], Seed: 7, RetryAfterSeconds: 1) };
        var (host, live, dir) = await StartAsync(SnapshotLoader.Load(Sample), options);
        await using var _ = host;
        using var __ = live;
        using var ___ = dir;

        var (outcome, inventory) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["fraud-detection"], SkipPreflight = true }, dir.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Single(inventory.Items);
        var isvcLists = host.Requests.Recent.Where(r => r.Resource == "inferenceservices").ToList();
        Assert.Contains(isvcLists, r => r.Status == 429);
        Assert.Contains(isvcLists, r => r.Status == 200);
    }

    [Fact]
    public async Task Preflight_reports_what_the_access_rules_would_refuse()
    {
        var options = Quiet with { Access = new AccessRules([new AccessRule("list", "", "secrets", null, false)], true) };
        var (host, live, dir) = await StartAsync(SnapshotLoader.Load(Sample), options);
        await using var _ = host;
        using var __ = live;
        using var ___ = dir;

        var (_, inventory) = await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["fraud-detection"] }, dir.Layout, TestContext.Current.CancellationToken);
        Assert.Contains(inventory.Preflight, c => c is { Stage: "export", Verb: "list", Resource: "secrets", Allowed: false });
        Assert.Contains(inventory.Warnings, w => w.StartsWith("export would be refused: list secrets in fraud-detection", StringComparison.Ordinal));
        Assert.All(inventory.Preflight.Where(c => c.Resource != "secrets"), c => Assert.True(c.Allowed));

        // The simulator applies its access rules to SelfSubjectAccessReviews only, not to the requests themselves;
        // a real 403 on a request is covered by LiveClusterRetryTests and the command-line test against a 403 server.
    }

    [Fact]
    public async Task Kubectl_apply_of_original_restores_a_deleted_isvc()
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            Assert.Skip("kubectl not installed");
        }

        var ct = TestContext.Current.CancellationToken;
        var (host, live, dir) = await StartAsync(SnapshotLoader.Load(Sample), new SimulatorOptions());
        await using var _ = host;
        using var __ = live;
        using var ___ = dir;
        await new DiscoverEngine(live, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["fraud-detection"] }, dir.Layout, ct);
        Assert.Equal(0, (await new ExportEngine(live, new MemoryStageLog()).RunAsync(new ExportOptions(), dir.Layout, ct)).ExitCode);
        var before = (await live.GetAsync(Kinds.InferenceService, "fraud-detection", "fraud-model", ct))!;

        Assert.True(await live.DeleteAsync(Kinds.InferenceService, "fraud-detection", "fraud-model", new DeleteOptions(), ct));
        Assert.True(await live.DeleteAsync(Kinds.ServingRuntime, "fraud-detection", "fraud-model", new DeleteOptions(), ct));
        for (var i = 0; i < 50 && await live.GetAsync(Kinds.InferenceService, "fraud-detection", "fraud-model", ct) is not null; i++)
        {
            await Task.Delay(100, ct); // finalizers
        }

        var original = dir.Layout.Original("fraud-detection", "fraud-model");
        var result = await Cli.Wrap(kubectl)
            .WithArguments(["apply", "-f", original, "--kubeconfig", Path.Combine(dir.Path, "kubeconfig"), "--cache-dir", Path.Combine(dir.Path, "kube-cache"), "--request-timeout=30s"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, ct);
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);

        var restored = await live.GetAsync(Kinds.InferenceService, "fraud-detection", "fraud-model", ct);
        Assert.NotNull(restored);
        Assert.Equal(Manifest.Canonical(before["spec"]), Manifest.Canonical(restored["spec"]));
        Assert.Equal("Serverless", restored.Annotation("serving.kserve.io/deploymentMode"));
        Assert.NotNull(await live.GetAsync(Kinds.ServingRuntime, "fraud-detection", "fraud-model", ct));
    }

    private static string Items(Inventory inventory) =>
        JsonSerializer.SerializeToNode(inventory, InventoryJsonContext.Default.Inventory)!["items"]!.ToJsonString();

    private static SortedDictionary<string, string> YamlFiles(WorkspaceLayout layout) =>
        new(Directory.EnumerateFiles(layout.Root, "*.yaml", SearchOption.AllDirectories).ToDictionary(layout.Relative, File.ReadAllText), StringComparer.Ordinal);
}
