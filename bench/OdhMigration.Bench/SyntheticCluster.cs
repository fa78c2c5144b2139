using System.Globalization;
using System.Text;

namespace OdhMigration.Bench;

/// <summary>
/// A snapshot of many dashboard-style Serverless projects: 250 ISVCs per namespace, each with its own runtime (as the
/// dashboard creates them) and every tenth with token auth (ServiceAccount, Role, RoleBinding, token Secret).
/// </summary>
internal static class SyntheticCluster
{
    public const int IsvcsPerNamespace = 250;

    public static string Yaml(int isvcs)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inferenceservice-config\n  namespace: opendatahub\ndata:\n  deploy: '{\"defaultDeploymentMode\": \"Serverless\"}'\n");
        for (var i = 0; i < isvcs; i++)
        {
            var ns = Namespace(i);
            if (i % IsvcsPerNamespace == 0)
            {
                text.Append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").Append(ns).Append("\n  labels:\n    opendatahub.io/dashboard: \"true\"\n");
            }

            var name = "model-" + i.ToString("D5", CultureInfo.InvariantCulture);
            var auth = i % 10 == 0;
            var uid = $"00000000-0000-4000-8000-{i:D12}";
            text.Append(Isvc.Replace("$NAME", name, StringComparison.Ordinal).Replace("$NS", ns, StringComparison.Ordinal).Replace("$UID", uid, StringComparison.Ordinal).Replace("$AUTH", auth ? "true" : "false", StringComparison.Ordinal));
            if (auth)
            {
                text.Append(Auth.Replace("$NAME", name, StringComparison.Ordinal).Replace("$NS", ns, StringComparison.Ordinal).Replace("$UID", uid, StringComparison.Ordinal));
            }
        }

        return text.ToString();
    }

    public static string Namespace(int index) => "bench-" + (index / IsvcsPerNamespace).ToString("D3", CultureInfo.InvariantCulture);

    private const string Isvc = """
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata:
          name: $NAME
          namespace: $NS
          labels:
            opendatahub.io/dashboard: "true"
          annotations:
            opendatahub.io/template-name: kserve-ovms
            opendatahub.io/apiProtocol: REST
        spec:
          multiModel: false
          protocolVersions: [v2, grpc-v2]
          supportedModelFormats:
            - name: onnx
              version: "1"
          containers:
            - name: kserve-container
              image: quay.io/modh/openvino_model_server:stable
              args:
                - --model_name={{.Name}}
                - --port=8001
                - --rest_port=8888
                - --model_path=/mnt/models
              ports:
                - containerPort: 8888
                  protocol: TCP
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: $NAME
          namespace: $NS
          uid: $UID
          labels:
            opendatahub.io/dashboard: "true"
          annotations:
            openshift.io/display-name: $NAME
            serving.kserve.io/deploymentMode: Serverless
            security.opendatahub.io/enable-auth: "$AUTH"
            sidecar.istio.io/inject: "true"
        spec:
          predictor:
            minReplicas: 1
            maxReplicas: 3
            model:
              modelFormat:
                name: onnx
                version: "1"
              runtime: $NAME
              storage:
                key: aws-connection-models
                path: models/$NAME/model.onnx
              resources:
                requests: {cpu: "1", memory: 2Gi}
                limits: {cpu: "2", memory: 4Gi}
        status:
          url: https://$NAME-$NS.apps.example.com
          deploymentMode: Serverless

        """;

    private const string Auth = """
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: $NAME-sa
          namespace: $NS
          ownerReferences:
            - {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: $NAME, uid: $UID}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: $NAME-view-role
          namespace: $NS
          ownerReferences:
            - {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: $NAME, uid: $UID}
        rules:
          - apiGroups: [serving.kserve.io]
            resources: [inferenceservices]
            resourceNames: [$NAME]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: $NAME-view
          namespace: $NS
          ownerReferences:
            - {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: $NAME, uid: $UID}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: $NAME-view-role}
        subjects:
          - {kind: ServiceAccount, name: $NAME-sa}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: default-name-$NAME-sa
          namespace: $NS
          annotations:
            kubernetes.io/service-account.name: $NAME-sa
        type: kubernetes.io/service-account-token
        data:
          token: YmVuY2gtdG9rZW4tbm90LXJlYWw=

        """;
}
