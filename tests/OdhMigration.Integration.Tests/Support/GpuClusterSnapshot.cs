namespace OdhMigration.Integration.Tests.Support;

/// <summary>
/// A small GPU cluster for capacity tests: two nodes with two NVIDIA-A10G GPUs each, and Serverless vLLM ISVCs that
/// request one GPU each (their originals are Ready, so they hold one GPU each once the simulator schedules them).
/// </summary>
public static class GpuClusterSnapshot
{
    /// <param name="runtimePerModel">
    /// true: each ISVC on its own runtime <c>vllm-&lt;model&gt;</c> (transform may put them in different waves);
    /// false: all on one shared runtime <c>vllm</c>.
    /// </param>
    /// <param name="nodes">How many GPU nodes (gpu-node-1, ...), two GPUs each.</param>
    /// <param name="gpus">GPUs a model's pod asks for, where not 1.</param>
    /// <param name="minReplicas">A model's minReplicas, where not 1 (0: the Serverless original runs no pod).</param>
    /// <param name="otherPods">Pods of another namespace already bound to a node, each holding that many GPUs (work that is not migrated).</param>
    /// <param name="taints">A node's spec.taints (YAML flow sequence), where it has any.</param>
    public static string Yaml(string ns, IReadOnlyList<string> models, bool runtimePerModel, int nodes = 2,
        IReadOnlyDictionary<string, int>? gpus = null, IReadOnlyDictionary<string, int>? minReplicas = null, IReadOnlyList<(string Node, int Gpus)>? otherPods = null,
        IReadOnlyDictionary<string, string>? taints = null)
    {
        var runtimeNames = runtimePerModel ? models.Select(m => $"vllm-{m}").ToList() : ["vllm"];
        var runtimes = string.Concat(runtimeNames.Select(name => $$"""
            ---
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata:
              name: {{name}}
              namespace: {{ns}}
              labels: {opendatahub.io/dashboard: "true"}
            spec:
              multiModel: false
              supportedModelFormats: [{name: vLLM, autoSelect: {{(runtimePerModel ? "false" : "true")}}}]
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
              namespace: {{ns}}
              labels: {opendatahub.io/dashboard: "true"}
              annotations: {serving.kserve.io/deploymentMode: Serverless}
            spec:
              predictor:
                minReplicas: {{minReplicas?.GetValueOrDefault(name, 1) ?? 1}}
                model:
                  modelFormat: {name: vLLM}
                  runtime: {{(runtimePerModel ? $"vllm-{name}" : "vllm")}}
                  storageUri: s3://models/{{name}}
                  resources:
                    requests: {cpu: "2", memory: 8Gi}
                    limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "{{gpus?.GetValueOrDefault(name, 1) ?? 1}}"}
            status:
              deploymentMode: Serverless
              url: https://{{name}}-{{ns}}.apps.example.com
              conditions: [{type: Ready, status: "True"}]

            """));
        var nodeObjects = string.Concat(Enumerable.Range(1, nodes).Select(i => $"gpu-node-{i}").Select(name => $$"""
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: {{name}}
              labels: {nvidia.com/gpu.product: NVIDIA-A10G}
            spec: {taints: {{taints?.GetValueOrDefault(name) ?? "[]"}}}
            status:
              allocatable: {cpu: "16", memory: 64Gi, pods: "110", nvidia.com/gpu: "2"}

            """));
        return $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{ns}}
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

            """ + runtimes + isvcs + nodeObjects + OtherPods(otherPods ?? []);
    }

    private static string OtherPods(IReadOnlyList<(string Node, int Gpus)> pods)
    {
        if (pods.Count == 0)
        {
            return "";
        }

        return """
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other-team}

            """ + string.Concat(pods.Select((p, i) => $$"""
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: notebook-{{i + 1}}, namespace: other-team}
            spec:
              nodeName: {{p.Node}}
              containers:
                - name: notebook
                  image: quay.io/example/notebook:latest
                  resources:
                    requests: {cpu: "1", memory: 4Gi, nvidia.com/gpu: "{{p.Gpus}}"}
                    limits: {nvidia.com/gpu: "{{p.Gpus}}"}
            status: {phase: Running}

            """));
    }
}
