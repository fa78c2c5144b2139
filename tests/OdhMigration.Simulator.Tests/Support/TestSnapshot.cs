using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>Snapshots for tests, written as YAML like the real ones.</summary>
public static class TestSnapshot
{
    public static IReadOnlyList<SnapshotObject> Parse(string yaml) =>
        SnapshotLoader.FromDocuments(Yaml.ParseDocuments(yaml, "test-snapshot.yaml"));

    /// <summary>A project with a KServe OVMS runtime (auto-selectable for openvino_ir), a ModelMesh runtime and two ISVCs.</summary>
    public const string Basic = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: proj
          labels: {opendatahub.io/dashboard: "true"}
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: kserve-ovms, namespace: proj}
        spec:
          containers: [{name: kserve-container, image: ovms}]
          supportedModelFormats: [{name: openvino_ir, version: opset13, autoSelect: true}, {name: onnx, version: "1"}]
          protocolVersions: [v2, grpc-v2]
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: ovms, namespace: proj}
        spec:
          multiModel: true
          containers: [{name: ovms, image: ovms}]
          supportedModelFormats: [{name: openvino_ir, version: opset1, autoSelect: true}]
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: mm-model
          namespace: proj
          annotations: {serving.kserve.io/deploymentMode: ModelMesh}
          labels: {opendatahub.io/dashboard: "true", team: a}
        spec:
          predictor:
            model: {modelFormat: {name: openvino_ir, version: opset1}, runtime: ovms, storage: {key: aws-connection-x, path: m}}
        status:
          deploymentMode: ModelMesh
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: sl-model
          namespace: proj
          annotations: {serving.kserve.io/deploymentMode: Serverless}
          labels: {team: b}
        spec:
          predictor:
            model: {modelFormat: {name: onnx}, runtime: kserve-ovms, storageUri: "s3://b/m"}
        status:
          deploymentMode: Serverless
          url: https://sl-model-proj.apps.example.com
        """;
}
