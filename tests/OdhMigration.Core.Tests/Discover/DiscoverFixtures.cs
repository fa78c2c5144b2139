using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.Discover;

/// <summary>Small YAML builders for snapshots shaped like what the ODH dashboard creates.</summary>
public static class DiscoverFixtures
{
    public const string AppsNamespace = "opendatahub";

    public static SnapshotCluster Snapshot(params string[] documents) =>
        new(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(string.Join("\n---\n", documents), "test.yaml")), "snapshot test.yaml");

    public static string Namespace(string name) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: {name: {{name}}}
        """;

    public static string Dsci(string appsNs = AppsNamespace) => $$"""
        apiVersion: dscinitialization.opendatahub.io/v1
        kind: DSCInitialization
        metadata: {name: default-dsci, uid: dsci-uid, resourceVersion: "9"}
        spec: {applicationsNamespace: {{appsNs}}}
        """;

    public static string Dsc() => """
        apiVersion: datasciencecluster.opendatahub.io/v1
        kind: DataScienceCluster
        metadata: {name: default-dsc}
        spec: {components: {kserve: {managementState: Managed}}}
        """;

    public static string ConfigMap(string defaultMode, string ns = AppsNamespace) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: inferenceservice-config, namespace: {{ns}}}
        data:
          deploy: '{"defaultDeploymentMode": "{{defaultMode}}"}'
        """;

    public static string Runtime(string name, string ns, string format = "onnx", bool autoSelect = true, bool multiModel = false, string? annotations = null) => $$"""
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata:
          name: {{name}}
          namespace: {{ns}}
          uid: rt-{{name}}-uid
          resourceVersion: "100"
          annotations: {{{annotations ?? "opendatahub.io/template-name: kserve-ovms"}}}
        spec:
          multiModel: {{(multiModel ? "true" : "false")}}
          supportedModelFormats:
          - {name: {{format}}, version: "1", autoSelect: {{(autoSelect ? "true" : "false")}}}
          containers:
          - {name: kserve-container, image: quay.io/modh/openvino_model_server:stable}
        """;

    /// <summary>An ISVC; <paramref name="annotations"/> and <paramref name="labels"/> are YAML flow-map bodies.</summary>
    public static string Isvc(string name, string ns, string? mode = "Serverless", string? runtime = null, string format = "onnx", string annotations = "", string labels = "", string extraSpec = "", string status = "", string apiVersion = "serving.kserve.io/v1beta1", string storage = "storage: {key: aws-connection-models, path: models/m.onnx}")
    {
        var modeAnnotation = mode is null ? "" : $"serving.kserve.io/deploymentMode: {mode}, ";
        var runtimeLine = runtime is null ? "" : $"\n      runtime: {runtime}";
        return $$"""
            apiVersion: {{apiVersion}}
            kind: InferenceService
            metadata:
              name: {{name}}
              namespace: {{ns}}
              uid: uid-{{ns}}-{{name}}
              resourceVersion: "200"
              generation: 2
              creationTimestamp: "2026-03-02T10:16:00Z"
              managedFields: [{manager: dashboard}]
              labels: {opendatahub.io/dashboard: "true", {{labels}}}
              annotations: {{{modeAnnotation}}kubectl.kubernetes.io/last-applied-configuration: '{"x":1}', {{annotations}}}
            spec:
              predictor:
                model:
                  modelFormat: {name: {{format}}, version: "1"}{{runtimeLine}}
                  {{storage}}
            {{extraSpec}}
            status: {url: 'https://{{name}}.example.com', {{status}}}
            """;
    }

    /// <summary>Dashboard auth objects owned by the ISVC (ownerReference to its uid), with a token Secret holding data.</summary>
    public static string Auth(string isvc, string ns, bool owned = true, string? baseName = null)
    {
        var b = baseName ?? isvc;
        var owner = owned ? $$"""ownerReferences: [{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: {{isvc}}, uid: uid-{{ns}}-{{isvc}}}]""" : "labels: {}";
        return $$"""
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {{b}}-sa
              namespace: {{ns}}
              uid: sa-uid
              {{owner}}
              annotations: {openshift.io/internal-registry-pull-secret-ref: {{b}}-sa-dockercfg-abcde}
            secrets: [{name: {{b}}-sa-dockercfg-abcde}]
            imagePullSecrets: [{name: {{b}}-sa-dockercfg-abcde}, {name: my-registry}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: {{b}}-view-role
              namespace: {{ns}}
              {{owner}}
            rules: [{apiGroups: [serving.kserve.io], resources: [inferenceservices], resourceNames: [{{isvc}}], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: {{b}}-view
              namespace: {{ns}}
              {{owner}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{b}}-view-role}
            subjects: [{kind: ServiceAccount, name: {{b}}-sa}]
            ---
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/service-account-token
            metadata:
              name: default-name-{{b}}-sa
              namespace: {{ns}}
              labels: {opendatahub.io/dashboard: "true"}
              annotations: {kubernetes.io/service-account.name: {{b}}-sa, openshift.io/display-name: default-name, kubernetes.io/service-account.uid: sa-uid}
            data: {token: ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNkluUmxjM1FpZlEudGVzdC10b2tlbi12YWx1ZQ==}
            """;
    }

    public static string DataConnection(string name, string ns) => $$"""
        apiVersion: v1
        kind: Secret
        type: Opaque
        metadata:
          name: {{name}}
          namespace: {{ns}}
          labels: {opendatahub.io/dashboard: "true"}
          annotations: {opendatahub.io/connection-type: s3}
        stringData: {AWS_ACCESS_KEY_ID: test-access-key-id, AWS_SECRET_ACCESS_KEY: test-secret-access-value}
        """;

    public static string Route(string isvc, string ns) => $$"""
        apiVersion: route.openshift.io/v1
        kind: Route
        metadata: {name: {{isvc}}-{{ns}}, namespace: istio-system, uid: route-uid}
        spec:
          host: {{isvc}}-{{ns}}.apps.example.com
          to: {kind: Service, name: istio-ingressgateway}
        """;

    public static JsonObject Load(string path) => (JsonObject)Yaml.ParseSingle(File.ReadAllText(path), path)!;
}
