using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Transform.Waves.WaveFixtures;

namespace OdhMigration.Core.Tests.Capacity;

/// <summary>
/// The containers KServe's pod webhook injects for a predictor's storageUri, as
/// pkg/webhook/admission/pod/storage_initializer_injector.go (InjectStorageInitializer, InjectModelcar) adds them,
/// sized by the real ODH 2.x storageInitializer config in ../shared/fixtures/upstream/kserve-odh/stable-2.x.
/// </summary>
public sealed class StorageInitializerTests
{
    private const decimal Gi = 1024m * 1024 * 1024;
    private const decimal Mi = 1024m * 1024;

    private static JsonObject Parse(string yaml) => (JsonObject)Yaml.ParseSingle(yaml, "test")!;

    /// <summary>ODH's overlay patch of inferenceservice-config: memoryLimit 24Gi, direct PVC mount and modelcar on.</summary>
    private static StorageInitializerSettings Odh()
    {
        var path = Path.Combine(RepoPaths.Shared, "fixtures", "upstream", "kserve-odh", "stable-2.x", "odh-overlay-patch-inferenceservice-config.yaml");
        var configMap = (JsonObject)Yaml.ParseDocuments(File.ReadAllText(path), path).Select(d => d.Root).OfType<JsonObject>().First();
        var warnings = new List<string>();
        var settings = StorageInitializer.FromConfigMap(configMap, warnings);
        Assert.Empty(warnings);
        return settings!;
    }

    private static JsonObject Isvc(string? storageUri) => Parse($$"""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ml}
        spec:
          predictor:
            model:
              modelFormat: {name: vLLM}
              runtime: rt
              {{(storageUri is null ? "" : $"storageUri: {storageUri}")}}
              resources:
                requests: {cpu: "1", memory: 4Gi}
                limits: {cpu: "2", memory: 8Gi}
        """);

    private static ItemDemand Compute(string? storageUri, StorageInitializerSettings? settings) =>
        DemandCalculator.Compute(new DemandInput(Isvc(storageUri), DeploymentMode.Serverless, "rt", null, [], settings));

    [Fact]
    public void The_odh_config_is_read_as_odh_ships_it()
    {
        var odh = Odh();

        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.1m, ["memory"] = 100 * Mi }, odh.Requests);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1, ["memory"] = 24 * Gi }, odh.Limits);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.01m, ["memory"] = 15 * Mi }, odh.Modelcar);
        Assert.True(odh.EnableDirectPvcVolumeMount);
        Assert.True(odh.EnableModelcar);
        Assert.Contains("ConfigMap kserve/inferenceservice-config data.storageInitializer", odh.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void An_s3_model_under_a_limits_memory_quota_is_charged_the_injected_24Gi_and_refused_naming_it()
    {
        var demand = Compute("s3://models/granite", Odh());

        var predictor = Assert.Single(demand.Components);
        // A pod counts its largest init container or its containers' sum, whichever is more, per resource.
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2, ["memory"] = 24 * Gi }, predictor.PerReplicaLimits);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1, ["memory"] = 4 * Gi }, predictor.PerReplica);
        var init = Assert.Single(predictor.Containers!, c => c.Init is not null);
        Assert.Equal((StorageInitializer.ContainerName, ContainerDemand.InitKind, (bool?)true), (init.Name, init.Init, init.Injected));
        Assert.Contains(demand.Notes, n => n.Contains("storage-initializer (injected by KServe)", StringComparison.Ordinal) && n.Contains("memory 24Gi", StringComparison.Ordinal));

        // Under limits.memory 20Gi the 8Gi the ISVC states would fit (as the planner counted before); the 24Gi does not.
        var quota = new NamespaceQuota(Ns, "compute", new() { ["limits.memory"] = 20 * Gi }, new(), new() { ["limits.memory"] = 20 * Gi });
        var plan = Auto(CapacityOf([demand], [Pool("a100", 8, 8)], [quota]), [Candidate(demand)]);
        var before = Compute("s3://models/granite", null);
        var planBefore = Auto(CapacityOf([before], [Pool("a100", 8, 8)], [quota]), [Candidate(before)]);

        Assert.Equal([["m"]], Names(planBefore));
        Assert.Empty(plan.Waves);
        Assert.Contains("needs limits.memory 24Gi, at most 20Gi free under quota ml/compute", plan.Refused["ml/m"], StringComparison.Ordinal);
        Assert.Contains("storage-initializer (injected by KServe) limits.memory 24Gi", plan.Refused["ml/m"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pvc_model_is_mounted_directly_with_odh_and_copied_by_the_storage_initializer_without_direct_mount()
    {
        var direct = Assert.Single(Compute("pvc://models-pvc/granite", Odh()).Components);
        var copied = Assert.Single(Compute("pvc://models-pvc/granite", Odh() with { EnableDirectPvcVolumeMount = false }).Components);

        Assert.DoesNotContain(direct.Containers!, c => c.Injected == true);
        Assert.Equal(8 * Gi, direct.PerReplicaLimits!["memory"]);
        Assert.Equal(StorageInitializer.ContainerName, Assert.Single(copied.Containers!, c => c.Injected == true).Name);
        Assert.Equal(24 * Gi, copied.PerReplicaLimits!["memory"]);
    }

    [Fact]
    public void An_oci_model_with_modelcar_adds_the_modelcar_sidecar_and_its_init_container_not_the_storage_initializer()
    {
        var predictor = Assert.Single(Compute("oci://quay.io/models/granite:1", Odh()).Components);

        var injected = predictor.Containers!.Where(c => c.Injected == true).Select(c => (c.Name, c.Init)).ToList();
        Assert.Equal([(StorageInitializer.ModelcarInitName, ContainerDemand.InitKind), (StorageInitializer.ModelcarName, (string?)null)], injected);
        // The modelcar runs beside the model server: its 10m/15Mi add to the pod; modelcar-init is smaller than the sum.
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1.01m, ["memory"] = 4 * Gi + 15 * Mi }, predictor.PerReplica);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 2.01m, ["memory"] = 8 * Gi + 15 * Mi }, predictor.PerReplicaLimits);
    }

    [Fact]
    public void Without_a_storage_uri_nothing_is_injected_and_an_own_storage_initializer_is_not_doubled()
    {
        var none = Compute(null, Odh());
        var own = Isvc("s3://models/granite");
        ((JsonObject)own.At("spec", "predictor")!)["initContainers"] = new JsonArray(Parse("""
            name: storage-initializer
            resources: {requests: {cpu: 100m, memory: 100Mi}, limits: {cpu: "1", memory: 2Gi}}
            """));
        var withOwn = DemandCalculator.Compute(new DemandInput(own, DeploymentMode.Serverless, "rt", null, [], Odh()));

        Assert.Equal(Compute(null, null).Components[0].PerReplicaLimits, none.Components[0].PerReplicaLimits);
        Assert.DoesNotContain(none.Components[0].Containers!, c => c.Injected == true);
        var init = Assert.Single(withOwn.Components[0].Containers!, c => c.Init is not null);
        Assert.Null(init.Injected);
        Assert.Equal(8 * Gi, withOwn.Components[0].PerReplicaLimits!["memory"]);
    }

    [Fact]
    public async Task Without_the_configmap_export_counts_kserve_defaults_and_warns_that_odh_may_be_higher()
    {
        var cluster = new SnapshotCluster([], "empty");
        var reader = new CapacityReader(cluster, new MemoryStageLog());

        await reader.ReadStorageInitializerAsync("opendatahub", TestContext.Current.CancellationToken);
        var report = reader.Report(DateTimeOffset.UnixEpoch, new SourceInfo("snapshot", "empty"), new ConsumedDocument("inventory.json", "x"), new ClusterCapacity());

        var settings = report.StorageInitializer!;
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 1, ["memory"] = 1 * Gi }, settings.Limits);
        Assert.Equal(new Dictionary<string, decimal> { ["cpu"] = 0.1m, ["memory"] = 100 * Mi }, settings.Requests);
        Assert.False(settings.EnableModelcar);
        Assert.StartsWith("KServe defaults (ConfigMap inferenceservice-config not found in opendatahub)", settings.Source, StringComparison.Ordinal);
        Assert.Contains(report.Warnings, w => w.Contains("ODH's value may be higher (24Gi in ODH 2.x)", StringComparison.Ordinal));
    }
}
