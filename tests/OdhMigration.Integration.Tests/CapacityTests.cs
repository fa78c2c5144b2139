using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator.Scheduling;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Integration.Tests;

/// <summary>
/// Side-by-side doubles what a model needs while both copies run: on a cluster with 4 GPUs, three Serverless originals
/// holding one GPU each leave room for one replacement, so migrating all three at once leaves replacements Pending and
/// validate says InsufficientResources; stopping the originals frees their GPUs and the same replacements come up.
/// </summary>
public sealed class CapacityTests
{
    private const string Namespace = "gpu-team";

    [Fact]
    public async Task Migrating_more_gpu_models_side_by_side_than_free_gpus_fails_validate_with_InsufficientResources_until_the_originals_stop()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatedCluster.StartAsync(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(), "capacity-snapshot.yaml"), [.. SchedulingKinds.All]));
        await sim.Host.WaitForIdleAsync(ct);
        var originals = sim.Host.Store.List(Kinds.Pod, new ListRequest(Namespace, LabelSelector.Parse("serving.kserve.io/inferenceservice"), FieldFilter.Everything)).Items;
        Assert.Equal(3, originals.Count(p => p.At("status").Str("phase") == "Running"));

        using var pipeline = new Pipeline(sim);
        await pipeline.PrepareAsync(Namespace, "serverless", "side-by-side");
        var planned = (await pipeline.PlanAsync()).Items.Where(i => i.Status == "ok").ToList();
        Assert.Equal(3, planned.Count);
        var apply = await pipeline.ApplyAsync(ct: ct);
        Assert.True(apply.ExitCode == ExitCodes.Success, $"apply: {apply.Summary}\n{pipeline.Logs}");

        var validate = await ValidateAsync(sim, pipeline, ct);
        Assert.NotEqual(ExitCodes.Success, validate.ExitCode);
        var results = await ValidationAsync(pipeline, ct);
        var insufficient = results.Items.Where(i => i.Reason == ValidationReasons.InsufficientResources).ToList();
        Assert.True(insufficient.Count >= 1, $"no InsufficientResources: {string.Join("; ", results.Items.Select(i => $"{i.TargetName}: {i.Reason} {i.Message}"))}");
        Assert.All(insufficient, i => Assert.Contains("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.", i.Message, StringComparison.Ordinal));
        Assert.Equal(2, results.Items.Count(i => !i.Passed)); // one free GPU: exactly one replacement fits

        // guide §5.1.2: stopping the Serverless originals frees their GPUs; the pending replacements then schedule.
        foreach (var item in planned)
        {
            sim.Host.Store.Patch(Kinds.InferenceService, item.Namespace, item.Name, live =>
            {
                var next = live!.DeepCopy();
                next.SetAnnotation("serving.kserve.io/stop", "true");
                return next;
            }, WriteContext.Internal("test"));
        }

        var retry = await ValidateAsync(sim, pipeline, ct);
        Assert.True(retry.ExitCode == ExitCodes.Success, $"validate after stopping the originals: {retry.Summary}\n{pipeline.Logs}");
    }

    private static Task<StageOutcome> ValidateAsync(SimulatedCluster sim, Pipeline pipeline, CancellationToken ct) =>
        new ValidateEngine(sim.Cluster, pipeline.Log).RunAsync(
            new ValidateOptions { Timeout = TimeSpan.FromSeconds(4), PollInterval = TimeSpan.FromMilliseconds(100), Retry = RetryPolicy.Default }, pipeline.Layout, ct);

    private static async Task<Validation> ValidationAsync(Pipeline pipeline, CancellationToken ct) =>
        (await WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, Validation.DocumentKind, Validation.CurrentSchemaVersion, ValidationJsonContext.Default.Validation, ct)).Document;

    /// <summary>Two nodes with two GPUs each; three Serverless ISVCs on one vLLM-like runtime, one GPU each.</summary>
    private static string Snapshot()
    {
        var isvcs = string.Concat(new[] { "llama", "mistral", "granite" }.Select(name => $$"""
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
                  runtime: vllm
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
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata:
              name: vllm
              namespace: {{Namespace}}
              labels: {opendatahub.io/dashboard: "true"}
            spec:
              multiModel: false
              supportedModelFormats: [{name: vLLM, autoSelect: true}]
              containers:
                - name: kserve-container
                  image: quay.io/modh/vllm:stable
                  ports: [{containerPort: 8080, protocol: TCP}]
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

            """ + isvcs + nodes;
    }
}
