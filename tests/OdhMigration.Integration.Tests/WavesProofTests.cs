using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Scheduling;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// Issue #19's proof, end to end through the real stages: on a cluster with 4 GPUs, three Serverless originals (one GPU
/// each, each on its own runtime) leave one GPU free. Migrated side-by-side all at once, two replacements stay
/// Pending (CapacityTests). Planned with <c>transform --waves auto</c> from what export recorded in capacity.json, the
/// same namespace is migrated wave by wave (apply K, validate K, cleanup K) with no InsufficientResources anywhere.
/// </summary>
public sealed class WavesProofTests
{
    private const string Namespace = "gpu-waves";

    [Fact]
    public async Task Gpu_demand_beyond_free_capacity_migrates_in_waves_without_InsufficientResources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(), "waves-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(Namespace, "serverless", "side-by-side", transform: new TransformOptions { Strategy = "side-by-side", Waves = WaveModes.Auto }, ct: ct);
        Assert.True(transform.ExitCode == ExitCodes.Success, $"transform: {transform.Summary}\n{pipeline.Logs}");

        var (capacity, _) = await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Capacity, CapacityReport.DocumentKind, CapacityReport.CurrentSchemaVersion, CapacityReportJsonContext.Default.CapacityReport, ct);
        Assert.True(capacity.Cluster.Readable, capacity.Cluster.Reason);
        Assert.Equal(1m, capacity.Cluster.Pools.Sum(p => p.Free.GetValueOrDefault("nvidia.com/gpu")));
        Assert.All(capacity.Items, i => Assert.Equal(1m, i.Total.GetValueOrDefault("nvidia.com/gpu")));

        var plan = await pipeline.PlanAsync();
        Assert.NotNull(plan.Waves);
        Assert.Equal(3, plan.Waves.Count);
        Assert.All(plan.Items, i => Assert.Equal(ItemStatuses.Ok, i.Status));
        Assert.All(plan.Waves.Take(2), w => Assert.True(w.CleanupBeforeNextWave || w.StopOriginalsFirst, $"wave {w.Number}: neither cleanup-before-next nor stop-first, yet only one GPU is free"));

        for (var wave = 1; wave <= plan.Waves.Count; wave++)
        {
            var apply = await pipeline.ApplyAsync(Pipeline.FastApply with { Wave = wave }, ct);
            Assert.True(apply.ExitCode == ExitCodes.Success, $"apply wave {wave}: {apply.Summary}\n{pipeline.Logs}");

            var validate = await new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
                new ValidateOptions { Wave = wave, Timeout = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);
            var (validation, _) = await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct);
            Assert.DoesNotContain(validation.Items, i => i.Reason == ValidationReasons.InsufficientResources);
            Assert.True(validate.ExitCode == ExitCodes.Success, $"validate wave {wave}: {validate.Summary}\n{pipeline.Logs}");

            var cleanup = await new CleanupEngine(sim.Cluster, pipeline.Log).RunAsync(
                new CleanupOptions { Wave = wave, ExpectValidationSha256 = validate.Results["validation-sha256"], PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20), Retry = RetryPolicy.Default }, pipeline.Layout, ct);
            Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup wave {wave}: {cleanup.Summary}\n{pipeline.Logs}");
        }

        foreach (var item in plan.Items)
        {
            var replacement = await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName, ct);
            Assert.NotNull(replacement);
            Assert.True(IsvcDiagnosis.IsServing(replacement), $"{item.TargetNamespace}/{item.TargetName} is not serving after its wave");
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name, ct));
        }
    }

    /// <summary>Two nodes with two GPUs each; three Serverless ISVCs, each on its own runtime (so no two must share a wave), one GPU each.</summary>
    private static string Snapshot()
    {
        var models = new[] { "llama", "mistral", "granite" };
        var runtimes = string.Concat(models.Select(name => $$"""
            ---
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata:
              name: vllm-{{name}}
              namespace: {{Namespace}}
              labels: {opendatahub.io/dashboard: "true"}
            spec:
              multiModel: false
              supportedModelFormats: [{name: vLLM, autoSelect: false}]
              containers:
                - name: kserve-container
                  image: quay.io/modh/vllm:stable
                  ports: [{containerPort: 8080, protocol: TCP}]

            """));
        var isvcs = string.Concat(models.Select(name => $$"""
            ---
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata:
              name: {{name}}
              namespace: {{Namespace}}
              labels: {opendatahub.io/dashboard: "true"}
              annotations: {serving.kserve.io/deploymentMode: Serverless}
            spec:
              predictor:
                minReplicas: 1
                model:
                  modelFormat: {name: vLLM}
                  runtime: vllm-{{name}}
                  storageUri: s3://models/{{name}}
                  resources:
                    requests: {cpu: "2", memory: 8Gi}
                    limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
            status:
              deploymentMode: Serverless
              url: https://{{name}}-{{Namespace}}.apps.example.com
              conditions: [{type: Ready, status: "True"}]

            """));
        var nodes = string.Concat(new[] { "gpu-node-1", "gpu-node-2" }.Select(name => $$"""
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: {{name}}
              labels: {nvidia.com/gpu.product: NVIDIA-A10G}
            status:
              allocatable: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "2"}

            """));
        return $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{Namespace}}
              labels: {opendatahub.io/dashboard: "true"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: inferenceservice-config, namespace: opendatahub}
            data:
              deploy: '{"defaultDeploymentMode": "Serverless"}'
            ---
            apiVersion: dscinitialization.opendatahub.io/v1
            kind: DSCInitialization
            metadata: {name: default-dsci}
            spec:
              applicationsNamespace: opendatahub
              serviceMesh: {managementState: Managed}
            ---
            apiVersion: datasciencecluster.opendatahub.io/v1
            kind: DataScienceCluster
            metadata: {name: default-dsc}
            spec:
              components:
                kserve: {managementState: Managed, defaultDeploymentMode: Serverless, serving: {managementState: Managed, name: knative-serving} }
                modelmeshserving: {managementState: Managed}

            """ + runtimes + isvcs + nodes;
    }
}
