using System.Globalization;
using System.Text;

namespace OdhMigration.Bench;

/// <summary>
/// Writes a snapshot of one namespace with N Serverless InferenceServices shaped like the dashboard's: every ISVC has
/// auth on (ServiceAccount, Role, RoleBinding, token Secret owned by it) and an istio-system Route; ten runtimes are
/// shared round-robin; a data connection and a PVC sit beside them. The worst case for discover and export per ISVC.
/// </summary>
public static class SnapshotGenerator
{
    public const string Namespace = "bench";
    public const int Runtimes = 10;

    public static void Write(string path, int isvcs)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write($$$$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{{{Namespace}}}}}
            ---
            apiVersion: dscinitialization.opendatahub.io/v1
            kind: DSCInitialization
            metadata: {name: default-dsci}
            spec: {applicationsNamespace: opendatahub}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: inferenceservice-config, namespace: opendatahub}
            data: {deploy: '{"defaultDeploymentMode": "Serverless"}'}
            ---
            apiVersion: v1
            kind: Secret
            type: Opaque
            metadata: {name: aws-connection-models, namespace: {{{{Namespace}}}}, labels: {opendatahub.io/dashboard: "true"}, annotations: {opendatahub.io/connection-type: s3}}
            stringData: {AWS_ACCESS_KEY_ID: bench-key, AWS_SECRET_ACCESS_KEY: bench-secret}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: models, namespace: {{{{Namespace}}}}}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}

            """);
        for (var r = 0; r < Runtimes; r++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $$$$"""
                ---
                apiVersion: serving.kserve.io/v1alpha1
                kind: ServingRuntime
                metadata: {name: ovms-{{{{r}}}}, namespace: {{{{Namespace}}}}, uid: rt-{{{{r}}}}}
                spec:
                  multiModel: false
                  supportedModelFormats: [{name: onnx, version: "1", autoSelect: true}]
                  containers: [{name: kserve-container, image: quay.io/modh/openvino_model_server:stable, args: [--port=8001, --rest_port=8888]}]

                """));
        }

        for (var i = 0; i < isvcs; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{i:D5}");
            var uid = string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{i:D12}");
            var owner = $"ownerReferences: [{{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: {name}, uid: {uid}}}]";
            writer.Write(string.Create(CultureInfo.InvariantCulture, $$$$"""
                ---
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata:
                  name: {{{{name}}}}
                  namespace: {{{{Namespace}}}}
                  uid: {{{{uid}}}}
                  resourceVersion: "{{{{i + 1000}}}}"
                  labels: {opendatahub.io/dashboard: "true"}
                  annotations: {serving.kserve.io/deploymentMode: Serverless, security.opendatahub.io/enable-auth: "true", openshift.io/display-name: {name}}
                spec:
                  predictor:
                    minReplicas: 1
                    model:
                      modelFormat: {name: onnx, version: "1"}
                      runtime: ovms-{{{{i % Runtimes}}}}
                      storage: {key: aws-connection-models, path: models/{{{{name}}}}}
                      resources: {requests: {cpu: "1", memory: 2Gi}}
                status: {url: 'https://{{{{name}}}}-{{{{Namespace}}}}.apps.example.com', deploymentMode: Serverless}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: {{{{name}}}}-sa, namespace: {{{{Namespace}}}}, {{{{owner}}}}}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: {{{{name}}}}-view-role, namespace: {{{{Namespace}}}}, {{{{owner}}}}}
                rules: [{apiGroups: [serving.kserve.io], resources: [inferenceservices], resourceNames: [{{{{name}}}}], verbs: [get]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: {{{{name}}}}-view, namespace: {{{{Namespace}}}}, {{{{owner}}}}}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{{{name}}}}-view-role}
                subjects: [{kind: ServiceAccount, name: {{{{name}}}}-sa}]
                ---
                apiVersion: v1
                kind: Secret
                type: kubernetes.io/service-account-token
                metadata: {name: default-name-{{{{name}}}}-sa, namespace: {{{{Namespace}}}}, annotations: {kubernetes.io/service-account.name: {{{{name}}}}-sa, openshift.io/display-name: default-name}}
                data: {token: YmVuY2gtdG9rZW4=}
                ---
                apiVersion: route.openshift.io/v1
                kind: Route
                metadata: {name: {{{{name}}}}-{{{{Namespace}}}}, namespace: istio-system}
                spec: {host: {{{{name}}}}-{{{{Namespace}}}}.apps.example.com, to: {kind: Service, name: istio-ingressgateway}}

                """));
        }
    }
}
