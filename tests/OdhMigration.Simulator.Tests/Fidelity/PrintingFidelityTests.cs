using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Simulator.Tests.Fidelity.Support;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>) as kube-apiserver does it,
/// through kubectl get and the official Python client. Upstream: kubernetes/kubernetes
/// staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/tableconvertor/tableconvertor.go (Name
/// column, additionalPrinterColumns, first JSONPath match, cellForJSONValue, default column descriptions),
/// pkg/printers/internalversion/printers.go (built-in columns: printService with Selector at priority 1),
/// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go (asTable: includeObject Metadata/Object/None) and
/// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go (watchEmbeddedEncoder: column definitions only on the
/// first watch event).
/// </summary>
public sealed class PrintingFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private static readonly string[] IsvcHeaders = ["NAME", "URL", "READY", "PREV", "LATEST", "PREVROLLEDOUTREVISION", "LATESTREADYREVISION", "AGE"];

    [Fact]
    public async Task Kubectl_get_prints_the_crds_printer_columns_for_inference_services_and_serving_runtimes()
    {
        const string ns = "printing";
        var apply = await sim.KubectlAsync($$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{ns}}}
            ---
            apiVersion: serving.kserve.io/v1alpha1
            kind: ServingRuntime
            metadata: {name: rt, namespace: {{ns}}}
            spec:
              disabled: false
              containers: [{name: kserve-container, image: ovms}, {name: agent, image: agent}]
              supportedModelFormats: [{name: onnx, version: "1", autoSelect: true}, {name: pytorch}]
            ---
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata:
              name: raw
              namespace: {{ns}}
              annotations: {serving.kserve.io/deploymentMode: RawDeployment}
            spec:
              predictor:
                model: {modelFormat: {name: onnx}, runtime: rt, storageUri: "s3://b/m"}
            """, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.StandardError);
        await Eventually.TrueAsync(async () => (await sim.KubectlAsync(null, "get", "isvc", "raw", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}")).StandardOutput == "True", what: "raw Ready");

        foreach (var wide in new[] { false, true })
        {
            var get = await sim.KubectlAsync(null, wide ? ["get", "isvc", "-n", ns, "-o", "wide"] : ["get", "isvc", "-n", ns]);
            Assert.True(get.ExitCode == 0, get.StandardError);
            var (headers, rows) = Parse(get.StandardOutput);
            Assert.Equal(IsvcHeaders, headers); // the CRD has no priority-1 columns: -o wide adds none
            var row = Assert.Single(rows);
            Assert.Equal("raw", row["NAME"]);
            Assert.Equal($"http://raw-predictor.{ns}.svc.cluster.local", row["URL"]);
            Assert.Equal("True", row["READY"]);
            Assert.Equal(string.Empty, row["PREV"]); // no JSONPath match: a null cell, printed blank
            Assert.Equal(string.Empty, row["LATESTREADYREVISION"]);
            Assert.Matches(new Regex(@"^\d+s$"), row["AGE"]);
        }

        var runtimes = await sim.KubectlAsync(null, "get", "servingruntimes", "-n", ns);
        Assert.True(runtimes.ExitCode == 0, runtimes.StandardError);
        var (runtimeHeaders, runtimeRows) = Parse(runtimes.StandardOutput);
        Assert.Equal(["NAME", "DISABLED", "MODELTYPE", "CONTAINERS", "AGE"], runtimeHeaders);
        var runtime = Assert.Single(runtimeRows);
        Assert.Equal("rt", runtime["NAME"]);
        Assert.Equal("false", runtime["DISABLED"]); // a boolean column
        Assert.Equal("onnx", runtime["MODELTYPE"]); // [*] matches both formats; the convertor prints the first
        Assert.Equal("kserve-container", runtime["CONTAINERS"]);
    }

    [Fact]
    public async Task Built_in_kinds_print_the_api_servers_columns_and_priority_1_columns_only_with_o_wide()
    {
        const string ns = "printing-builtin";
        var apply = await sim.KubectlAsync($$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{ns}}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: {{ns}}}
            spec:
              type: ClusterIP
              clusterIP: 10.0.0.7
              selector: {app: web, tier: front}
              ports: [{port: 80, protocol: TCP}, {port: 8443, protocol: TCP}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: {{ns}}}
            type: Opaque
            stringData: {a: "1", b: "2"}
            """, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.StandardError);

        var plain = await sim.KubectlAsync(null, "get", "svc", "web", "-n", ns);
        Assert.True(plain.ExitCode == 0, plain.StandardError);
        var (headers, rows) = Parse(plain.StandardOutput);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], headers);
        Assert.Equal("ClusterIP", rows[0]["TYPE"]);
        Assert.Equal("10.0.0.7", rows[0]["CLUSTER-IP"]);
        Assert.Equal("<none>", rows[0]["EXTERNAL-IP"]);
        Assert.Equal("80/TCP,8443/TCP", rows[0]["PORT(S)"]);

        var wide = await sim.KubectlAsync(null, "get", "svc", "web", "-n", ns, "-o", "wide");
        var (wideHeaders, wideRows) = Parse(wide.StandardOutput);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"], wideHeaders);
        Assert.Equal("app=web,tier=front", wideRows[0]["SELECTOR"]);

        var secrets = await sim.KubectlAsync(null, "get", "secret", "creds", "-n", ns);
        var (secretHeaders, secretRows) = Parse(secrets.StandardOutput);
        Assert.Equal(["NAME", "TYPE", "DATA", "AGE"], secretHeaders);
        Assert.Equal("Opaque", secretRows[0]["TYPE"]);
        Assert.Equal("2", secretRows[0]["DATA"]);

        var namespaces = await sim.KubectlAsync(null, "get", "namespace", ns);
        var (namespaceHeaders, namespaceRows) = Parse(namespaces.StandardOutput);
        Assert.Equal(["NAME", "STATUS", "AGE"], namespaceHeaders);
        Assert.Equal("Active", namespaceRows[0]["STATUS"]);
    }

    [Theory]
    [InlineData("configmap", "NAME,DATA,AGE", "NAME,DATA,AGE")]
    [InlineData("serviceaccount", "NAME,SECRETS,AGE", "NAME,SECRETS,AGE")]
    [InlineData("role", "NAME,CREATED AT", "NAME,CREATED AT")]
    [InlineData("rolebinding", "NAME,ROLE,AGE", "NAME,ROLE,AGE,USERS,GROUPS,SERVICEACCOUNTS")]
    [InlineData("pvc", "NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,VOLUMEATTRIBUTESCLASS,AGE", "NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,VOLUMEATTRIBUTESCLASS,AGE,VOLUMEMODE")]
    [InlineData("pod", "NAME,READY,STATUS,RESTARTS,AGE", "NAME,READY,STATUS,RESTARTS,AGE,IP,NODE,NOMINATED NODE,READINESS GATES")]
    [InlineData("route", "NAME,HOST/PORT,PATH,SERVICES,PORT,TERMINATION,WILDCARD", "NAME,HOST/PORT,PATH,SERVICES,PORT,TERMINATION,WILDCARD")]
    public async Task Other_built_in_kinds_print_the_api_servers_columns(string kind, string plainHeaders, string wideHeaders)
    {
        var ns = $"printing-{kind}";
        var apply = await sim.KubectlAsync($$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{ns}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: obj, namespace: {{ns}}}
            data: {a: "1", b: "2", c: "3"}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: obj, namespace: {{ns}}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: obj, namespace: {{ns}}}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: obj, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: obj}
            subjects: [{kind: ServiceAccount, name: obj, namespace: {{ns}}}, {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: obj, namespace: {{ns}}}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi} }, storageClassName: fast}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: obj, namespace: {{ns}}}
            spec: {containers: [{name: c, image: busybox}]}
            ---
            apiVersion: route.openshift.io/v1
            kind: Route
            metadata: {name: obj, namespace: {{ns}}}
            spec: {host: obj.apps.example.com, to: {kind: Service, name: web}, tls: {termination: edge, insecureEdgeTerminationPolicy: Redirect} }
            """, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.StandardError);

        var plain = await sim.KubectlAsync(null, "get", kind, "obj", "-n", ns);
        Assert.True(plain.ExitCode == 0, plain.StandardError);
        var (headers, rows) = Parse(plain.StandardOutput);
        Assert.Equal(plainHeaders.Split(','), headers);
        var wide = await sim.KubectlAsync(null, "get", kind, "obj", "-n", ns, "-o", "wide");
        var (wideNames, wideRows) = Parse(wide.StandardOutput);
        Assert.Equal(wideHeaders.Split(','), wideNames);
        Assert.Equal("obj", rows[0]["NAME"]);
        switch (kind)
        {
            case "configmap":
                Assert.Equal("3", rows[0]["DATA"]);
                break;
            case "role":
                Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), rows[0]["CREATED AT"]);
                break;
            case "rolebinding":
                Assert.Equal("Role/obj", rows[0]["ROLE"]);
                Assert.Equal("alice", wideRows[0]["USERS"]);
                Assert.Equal($"{ns}/obj", wideRows[0]["SERVICEACCOUNTS"]);
                break;
            case "pvc":
                Assert.Equal("fast", rows[0]["STORAGECLASS"]);
                Assert.Equal("<unset>", rows[0]["VOLUMEATTRIBUTESCLASS"]);
                break;
            case "pod":
                Assert.Equal("0/1", rows[0]["READY"]);
                Assert.Equal("0", rows[0]["RESTARTS"]);
                Assert.Equal("<none>", wideRows[0]["NODE"]);
                break;
            case "route":
                Assert.Equal("obj.apps.example.com", rows[0]["HOST/PORT"]);
                Assert.Equal("web", rows[0]["SERVICES"]);
                Assert.Equal("<all>", rows[0]["PORT"]);
                Assert.Equal("edge/Redirect", rows[0]["TERMINATION"]);
                break;
        }
    }

    [Fact]
    public async Task Kubectl_get_watch_prints_a_row_for_an_added_object()
    {
        const string ns = "printing-watch";
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, "application/json")).Status);
        var output = await KubectlClient.RunUntilAsync(
            sim.KubeconfigPath,
            async () =>
            {
                // kubectl -w lists, then watches from the list's resourceVersion, so an object created once the list
                // was answered reaches the watch even if the watch request is not there yet. (A watch is recorded in
                // the request log only when it ends, so it cannot be waited for there.) Discovery first: slow under load.
                await Eventually.TrueAsync(
                    async () => (await sim.RequestsAsync())["requests"]!.AsArray().Any(r => r!["verb"]!.GetValue<string>() == "list" && r["resource"]!.GetValue<string>() == "inferenceservices" && r["namespace"]?.GetValue<string>() == ns),
                    TimeSpan.FromSeconds(60),
                    "kubectl listing");
                var created = await sim.PythonAsync("POST", $"/apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices", JsonNode.Parse($$"""
                    {"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"watched","namespace":"{{ns}}"},
                     "spec":{"predictor":{"model":{"modelFormat":{"name":"onnx"},"storageUri":"s3://b/m"} } } }
                    """), "application/json");
                Assert.Equal(201, created.Status);
            },
            text => text.Contains("watched", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "get", "isvc", "-n", ns, "-w");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Assert.Single(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
        Assert.Equal(IsvcHeaders, Regex.Split(header.Trim(), @"\s{2,}"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^watched\s+.*\d+s\s*$"));
    }

    [Fact]
    public async Task The_python_client_gets_a_table_with_the_crd_columns_and_the_row_objects_includeObject_asks_for()
    {
        const string path = "/apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";
        var table = await sim.PythonAsync("GET", path, accept: TableAccept);
        Assert.Equal(200, table.Status);
        Assert.Equal("Table", table.Body!["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table.Body["apiVersion"]!.GetValue<string>());
        var columns = table.Body["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "URL", "Ready", "Prev", "Latest", "PrevRolledoutRevision", "LatestReadyRevision", "Age"], columns.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["string", "string", "string", "integer", "integer", "string", "string", "date"], columns.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal("name", columns[0]!["format"]!.GetValue<string>());
        Assert.Equal("Custom resource definition column (in JSONPath format): .status.url", columns[1]!["description"]!.GetValue<string>());
        Assert.All(columns, c => Assert.Equal(0, c!["priority"]!.GetValue<int>()));
        var rows = table.Body["rows"]!.AsArray();
        Assert.Equal(["mm-model", "sl-model"], rows.Select(r => r!["cells"]![0]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(8, r!["cells"]!.AsArray().Count));
        Assert.Equal("PartialObjectMetadata", rows[0]!["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("mm-model", rows[0]!["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(rows[0]!["object"]!["spec"]);

        var full = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["includeObject"] = "Object" }, accept: TableAccept);
        Assert.Equal("InferenceService", full.Body!["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
        Assert.NotNull(full.Body["rows"]![0]!["object"]!["spec"]);
        var none = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["includeObject"] = "None" }, accept: TableAccept);
        Assert.Null(none.Body!["rows"]![0]!["object"]);
        var bad = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["includeObject"] = "Everything" }, accept: TableAccept);
        Assert.Equal(400, bad.Status);
        Assert.Equal("unrecognized includeObject value: \"Everything\"", bad.Message);

        // A watch sends one-row Tables; only the first event carries the column definitions.
        var watch = await sim.PythonAsync("GET", path, query: new Dictionary<string, string> { ["watch"] = "true", ["timeoutSeconds"] = "1" }, accept: TableAccept);
        Assert.Equal(200, watch.Status);
        var events = watch.Body!.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("Table", e["object"]!["kind"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Single(e["object"]!["rows"]!.AsArray()));
        Assert.Equal(8, events[0]["object"]!["columnDefinitions"]!.AsArray().Count);
        Assert.Null(events[1]["object"]!["columnDefinitions"]);
    }

    /// <summary>kubectl's table: header names (split on the column gap) and each row's cells by the headers' offsets.</summary>
    private static (List<string> Headers, List<Dictionary<string, string>> Rows) Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var starts = Regex.Matches(header, @"(?<=^|\s{2})\S").Select(m => m.Index).ToList();
        var names = starts.Select((s, i) => header[s..(i + 1 < starts.Count ? starts[i + 1] : header.Length)].Trim()).ToList();
        var rows = lines.Skip(1).Select(line => names.Select((name, i) =>
        {
            var start = Math.Min(starts[i], line.Length);
            var end = i + 1 < starts.Count ? Math.Min(starts[i + 1], line.Length) : line.Length;
            return (name, value: line[start..end].Trim());
        }).ToDictionary(c => c.name, c => c.value)).ToList();
        return (names, rows);
    }
}
