using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Tests.Discover;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Capacity.CapacityPoolsTests;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Export;

/// <summary>export writes capacity.json: each selected ISVC's replacement demand, the namespace's quotas and the cluster's free capacity.</summary>
public sealed class ExportCapacityTests
{
    private const decimal Gi = 1024m * 1024 * 1024;

    private static string GpuIsvc(string name) => $$"""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: {{name}}
          namespace: p
          uid: uid-p-{{name}}
          annotations: {serving.kserve.io/deploymentMode: Serverless}
        spec:
          predictor:
            minReplicas: 2
            nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-40GB}
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
            model:
              modelFormat: {name: onnx, version: "1"}
              runtime: ovms
              storage: {key: aws-connection-models, path: models/m.onnx}
              resources:
                requests: {cpu: '2', memory: 8Gi}
                limits: {cpu: '4', memory: 8Gi, nvidia.com/gpu: '1'}
        """;

    private static readonly string Quota = """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: gpus, namespace: p}
        spec: {hard: {requests.nvidia.com/gpu: '4'}}
        status:
          hard: {requests.nvidia.com/gpu: '4', requests.cpu: '40'}
          used: {requests.nvidia.com/gpu: '1', requests.cpu: 6500m}
        """;

    private static string RunningIsvcPod() => """
        apiVersion: v1
        kind: Pod
        metadata: {name: llm-predictor-00001-abc, namespace: p, labels: {serving.kserve.io/inferenceservice: llm}}
        spec:
          nodeName: g1
          containers:
          - {name: kserve-container, resources: {requests: {cpu: '2', memory: 8Gi, nvidia.com/gpu: '1'}, limits: {nvidia.com/gpu: '1'}}}
          - {name: queue-proxy, resources: {requests: {cpu: 25m}}}
        status: {phase: Running}
        """;

    private static string[] Project() =>
    [
        Namespace("p"), Dsci(), Dsc(), ConfigMap("Serverless"), Runtime("ovms", "p"), DataConnection("aws-connection-models", "p"),
        GpuIsvc("llm"), Quota, RunningIsvcPod(),
    ];

    private static string[] Cluster() =>
    [
        Node("w1", "8", "32Gi"),
        Node("g1", "32", "256Gi", gpus: 4, product: "NVIDIA-A100-SXM4-40GB", taints: "[{key: nvidia.com/gpu, effect: NoSchedule}]"),
        Pod("other", "q", "w1", "1", "2Gi"),
    ];

    private static async Task<(StageOutcome Outcome, CapacityReport Capacity, ExportReport Export, MemoryStageLog Log)> RunAsync(TempWorkspace ws, SnapshotCluster snapshot, IClusterReader? exportFrom = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new MemoryStageLog();
        await new DiscoverEngine(snapshot, log).RunAsync(new DiscoverOptions { Namespaces = ["p"], SkipPreflight = true }, ws.Layout, ct);
        var outcome = await new ExportEngine(exportFrom ?? snapshot, log).RunAsync(new ExportOptions(), ws.Layout, ct);
        var (capacity, _) = await WorkspaceDocuments.ReadCapacityAsync(ws.Layout, ct);
        var (export, _) = await WorkspaceDocuments.ReadExportAsync(ws.Layout, ct);
        return (outcome, capacity, export, log);
    }

    [Fact]
    public async Task Capacity_json_records_demand_quotas_and_free_capacity_per_pool()
    {
        using var ws = new TempWorkspace();
        var (outcome, capacity, _, _) = await RunAsync(ws, Snapshot([.. Project(), .. Cluster()]));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var item = Assert.Single(capacity.Items);
        Assert.Equal(("p", "llm", "ovms"), (item.Namespace, item.Name, item.Runtime));
        var predictor = Assert.Single(item.Components);
        Assert.Equal(2, predictor.Replicas);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2m, ["memory"] = 8 * Gi, ["nvidia.com/gpu"] = 1m }, predictor.PerReplica);
        Assert.Equal("NVIDIA-A100-SXM4-40GB", predictor.NodeSelector["nvidia.com/gpu.product"]);
        Assert.Equal(["nvidia.com/gpu:NoSchedule"], predictor.Tolerations);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 4m, ["memory"] = 16 * Gi, ["nvidia.com/gpu"] = 2m }, item.Total);
        Assert.True(item.OriginalCanBeStopped);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2.025m, ["memory"] = 8 * Gi, ["nvidia.com/gpu"] = 1m }, item.OriginalHolds);

        var quota = Assert.Single(capacity.Quotas);
        Assert.Equal(("p", "gpus"), (quota.Namespace, quota.Name));
        Assert.Equal(new Dictionary<string, decimal> { ["requests.cpu"] = 33.5m, ["requests.nvidia.com/gpu"] = 3m }, quota.Free);

        Assert.True(capacity.Cluster.Readable);
        Assert.Null(capacity.Cluster.Reason);
        var gpuPool = Assert.Single(capacity.Cluster.Pools, p => p.Labels.GetValueOrDefault("nvidia.com/gpu.product") == "NVIDIA-A100-SXM4-40GB");
        Assert.Equal(["g1"], gpuPool.Nodes);
        Assert.Equal(3m, gpuPool.Free["nvidia.com/gpu"]);
        Assert.Equal(29.975m, gpuPool.Free["cpu"]);
        Assert.Equal(["nvidia.com/gpu:NoSchedule"], gpuPool.Taints);
        var general = Assert.Single(capacity.Cluster.Pools, p => p.Key == "default");
        Assert.Equal(7m, general.Free["cpu"]);
        Assert.Equal(30 * Gi, general.Free["memory"]);

        var (inventory, consumed) = await WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal([consumed], capacity.Consumed);
        Assert.Equal("snapshot", capacity.Source.Type);
        Assert.Single(inventory.Items, i => i.Selected);
    }

    [Fact]
    public async Task Capacity_json_is_in_base_units_with_resource_names_as_keys()
    {
        using var ws = new TempWorkspace();
        await RunAsync(ws, Snapshot([.. Project(), .. Cluster()]));

        var text = await File.ReadAllTextAsync(ws.Layout.Capacity, TestContext.Current.CancellationToken);

        Assert.Contains("\"kind\": \"CapacityReport\"", text, StringComparison.Ordinal);
        Assert.Contains("\"memory\": 17179869184", text, StringComparison.Ordinal);
        Assert.Contains("\"nvidia.com/gpu\": 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_nodes_leave_capacity_unknown_with_the_reason_and_export_succeeds()
    {
        using var ws = new TempWorkspace();
        var snapshot = Snapshot([.. Project(), .. Cluster()]);
        var denied = new CountingCluster(snapshot) { ForbiddenLists = new HashSet<ResourceKind> { Kinds.Node, Kinds.ResourceQuota } };

        var (outcome, capacity, export, log) = await RunAsync(ws, snapshot, denied);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.All(export.Items, i => Assert.Equal("ok", i.Status));
        Assert.False(capacity.Cluster.Readable);
        Assert.StartsWith("forbidden: the account may not list nodes", capacity.Cluster.Reason, StringComparison.Ordinal);
        Assert.Contains("cluster-capacity.yaml", capacity.Cluster.Reason, StringComparison.Ordinal);
        Assert.Empty(capacity.Cluster.Pools);
        Assert.Empty(capacity.Quotas);
        Assert.Contains(capacity.Warnings, w => w.StartsWith("namespace p: ResourceQuotas could not be listed", StringComparison.Ordinal));
        Assert.Contains(export.Warnings, w => w.StartsWith("capacity.json: cluster capacity is unknown (forbidden", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Message.StartsWith("cluster capacity is unknown", StringComparison.Ordinal));
        Assert.Equal(2m, Assert.Single(capacity.Items).Total["nvidia.com/gpu"]);
    }

    [Fact]
    public async Task LimitRange_container_defaults_are_recorded_as_the_api_defaults_them_with_each_container_of_the_pod()
    {
        // Before LimitRanges were read, capacity.json had no limitRanges and a missing limit could only be refused.
        const string limits = """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: defaults, namespace: p}
            spec:
              limits:
              - {type: Container, default: {memory: 2Gi}, max: {cpu: '8'}}
              - {type: Pod, max: {cpu: '64'}}
            """;
        using var ws = new TempWorkspace();
        var (outcome, capacity, _, _) = await RunAsync(ws, Snapshot([.. Project(), limits, .. Cluster()]));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var range = Assert.Single(capacity.LimitRanges);
        Assert.Equal(("p", "defaults"), (range.Namespace, range.Name));
        // The API's defaulting of the item: default from max, defaultRequest from default.
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 8m, ["memory"] = 2 * Gi }, range.Default);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 8m, ["memory"] = 2 * Gi }, range.DefaultRequest);
        var containers = Assert.Single(capacity.Items).Components[0].Containers;
        Assert.NotNull(containers);
        Assert.Contains(containers, c => c.Name == "kserve-container" && c.Limits["memory"] == 8 * Gi && c.Init is null);
    }

    [Fact]
    public async Task Forbidden_limitranges_are_a_warning_and_export_succeeds()
    {
        using var ws = new TempWorkspace();
        var snapshot = Snapshot([.. Project(), .. Cluster()]);
        var denied = new CountingCluster(snapshot) { ForbiddenLists = new HashSet<ResourceKind> { Kinds.LimitRange } };

        var (outcome, capacity, _, _) = await RunAsync(ws, snapshot, denied);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.True(capacity.Cluster.Readable);
        Assert.Empty(capacity.LimitRanges);
        Assert.Contains(capacity.Warnings, w => w.StartsWith("namespace p: LimitRanges could not be listed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_snapshot_without_nodes_says_so()
    {
        using var ws = new TempWorkspace();
        var (outcome, capacity, _, _) = await RunAsync(ws, Snapshot(Project()));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.False(capacity.Cluster.Readable);
        Assert.Equal("the snapshot holds no Node objects", capacity.Cluster.Reason);
        Assert.Single(capacity.Items);
    }

    [Fact]
    public async Task A_bad_quantity_on_an_isvc_is_a_note_and_a_warning_not_a_failed_export()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Select(d => d == GpuIsvc("llm") ? d.Replace("memory: 8Gi}", "memory: 8 GiB}", StringComparison.Ordinal) : d).ToArray();
        var (outcome, capacity, _, _) = await RunAsync(ws, Snapshot(docs));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var item = Assert.Single(capacity.Items);
        Assert.Empty(item.Components);
        Assert.Contains(item.Notes, n => n.Contains("spec.predictor.model.resources.requests.memory: '8 GiB'", StringComparison.Ordinal));
        Assert.Contains(capacity.Warnings, w => w.StartsWith("p/llm: what its replacement requests is unknown", StringComparison.Ordinal));
    }
}
