using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Tests.Discover;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Export;

public sealed class ExportEngineTests
{
    private const string TokenBase64 = "ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNkluUmxjM1FpZlEudGVzdC10b2tlbi12YWx1ZQ==";
    private static readonly string[] SecretValues = [TokenBase64, "test-access-key-id", "test-secret-access-value"];

    private static string[] Project(string ns = "p") =>
    [
        Namespace(ns), Dsci(), Dsc(), ConfigMap("Serverless"), Runtime("ovms", ns),
        Isvc("fraud", ns, annotations: "security.opendatahub.io/enable-auth: 'true'"), Auth("fraud", ns), Route("fraud", ns),
        DataConnection("aws-connection-models", ns),
        Isvc("plain", ns, runtime: "ovms"),
    ];

    private static async Task<(StageOutcome Outcome, ExportReport Report, MemoryStageLog Log)> RunAsync(TempWorkspace ws, IClusterReader cluster, ExportOptions? options = null, IClusterReader? exportFrom = null, string ns = "p")
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new MemoryStageLog();
        await new DiscoverEngine(cluster, log).RunAsync(new DiscoverOptions { Namespaces = [ns], SkipPreflight = true }, ws.Layout, ct);
        var outcome = await new ExportEngine(exportFrom ?? cluster, log).RunAsync(options ?? new ExportOptions(), ws.Layout, ct);
        var (report, _) = await WorkspaceDocuments.ReadExportAsync(ws.Layout, ct);
        return (outcome, report, log);
    }

    private static string[] OriginalFiles(TempWorkspace ws, string isvc, string ns = "p") =>
        Directory.GetFiles(ws.Layout.Original(ns, isvc)).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Original_holds_the_isvc_its_runtime_auth_objects_token_template_and_route()
    {
        using var ws = new TempWorkspace();
        var (outcome, report, _) = await RunAsync(ws, Snapshot(Project()));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(
            ["20-serviceaccount-fraud-sa.yaml", "30-role-fraud-view-role.yaml", "40-rolebinding-fraud-view.yaml", "50-servingruntime-ovms.yaml",
             "60-inferenceservice-fraud.yaml", "70-route-fraud-p.yaml", "80-token-secret-default-name-fraud-sa.yaml"],
            OriginalFiles(ws, "fraud"));
        Assert.Equal(["50-servingruntime-ovms.yaml", "60-inferenceservice-plain.yaml"], OriginalFiles(ws, "plain"));

        var item = Assert.Single(report.Items, i => i.Name == "fraud");
        Assert.Equal(["isvc", "runtime", "service-account", "role", "role-binding", "token-secret", "route", "storage-secret"], item.Files.Select(f => f.Role));
        foreach (var file in item.Files)
        {
            Assert.Equal(file.Sha256, await Hashing.Sha256FileAsync(ws.Layout.Absolute(file.Path), TestContext.Current.CancellationToken));
        }

        var token = Load(Path.Combine(ws.Layout.Original("p", "fraud"), "80-token-secret-default-name-fraud-sa.yaml"));
        Assert.Null(token["data"]);
        Assert.Equal(("kubernetes.io/service-account-token", "fraud-sa"), (token.Str("type"), token.Annotation("kubernetes.io/service-account.name")));
        Assert.Empty(Directory.GetDirectories(ws.Layout.IsvcDir("p", "fraud"), ".export-partial-*"));
    }

    [Fact]
    public async Task Copies_are_cleaned_and_owner_references_go_to_a_sidecar()
    {
        using var ws = new TempWorkspace();
        var (_, report, _) = await RunAsync(ws, Snapshot(Project()));

        var isvc = Load(Path.Combine(ws.Layout.Original("p", "fraud"), "60-inferenceservice-fraud.yaml"));
        Assert.Null(isvc["status"]);
        foreach (var field in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink" })
        {
            Assert.Null(isvc.Metadata()[field]);
        }

        Assert.Null(isvc.Annotation(ServerFields.LastApplied));
        Assert.Equal("true", isvc.Annotation("security.opendatahub.io/enable-auth"));

        var sa = Load(Path.Combine(ws.Layout.Original("p", "fraud"), "20-serviceaccount-fraud-sa.yaml"));
        Assert.Null(sa.At("metadata", "ownerReferences"));
        Assert.Null(sa.Uid());

        var item = Assert.Single(report.Items, i => i.Name == "fraud");
        var owners = (JsonObject)JsonNode.Parse(File.ReadAllText(ws.Layout.Absolute(item.OwnerReferencesFile!)))!;
        var saOwners = (JsonArray)owners["p/fraud/original/20-serviceaccount-fraud-sa.yaml"]!;
        Assert.Equal("uid-p-fraud", saOwners[0].Str("uid"));
    }

    [Fact]
    public async Task Auth_objects_fall_back_to_the_dashboard_names()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Where(d => d != Auth("fraud", "p")).Append(Auth("fraud", "p", owned: false)).ToArray();
        Assert.Equal(Project().Length, docs.Length);
        var (_, report, _) = await RunAsync(ws, Snapshot(docs));
        var fraud = Assert.Single(report.Items, i => i.Name == "fraud");
        Assert.True(fraud.Status == "ok", fraud.Error);
        Assert.Contains("20-serviceaccount-fraud-sa.yaml", OriginalFiles(ws, "fraud"));
        Assert.Contains("40-rolebinding-fraud-view.yaml", OriginalFiles(ws, "fraud"));
    }

    [Fact]
    public async Task Auth_objects_owned_by_the_isvc_win_over_unowned_ones_with_the_dashboard_names()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Where(d => d != Auth("fraud", "p"))
            .Append(Auth("fraud", "p", owned: true, baseName: "custom"))
            .Append(Auth("fraud", "p", owned: false))
            .ToArray();
        var (_, report, _) = await RunAsync(ws, Snapshot(docs));
        var fraud = Assert.Single(report.Items, i => i.Name == "fraud");
        Assert.True(fraud.Status == "ok", fraud.Error);
        var files = OriginalFiles(ws, "fraud");
        Assert.Contains("20-serviceaccount-custom-sa.yaml", files);
        Assert.Contains("30-role-custom-view-role.yaml", files);
        Assert.Contains("40-rolebinding-custom-view.yaml", files);
        Assert.DoesNotContain(files, f => f.Contains("fraud-sa", StringComparison.Ordinal) || f.Contains("fraud-view", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_secrets_are_data_free_references_and_no_secret_value_reaches_disk_or_log()
    {
        using var ws = new TempWorkspace();
        var (_, report, log) = await RunAsync(ws, Snapshot(Project()));

        var reference = Load(Path.Combine(ws.Layout.IsvcDir("p", "fraud"), "references", "10-secret-aws-connection-models.yaml"));
        Assert.Null(reference["data"]);
        Assert.Null(reference["stringData"]);
        Assert.Equal(("Opaque", "true", "s3"), (reference.Str("type"), reference.Label("opendatahub.io/dashboard"), reference.Annotation("opendatahub.io/connection-type")));
        Assert.False(report.SecretDataIncluded);

        foreach (var file in Directory.EnumerateFiles(ws.Path, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.All(SecretValues, value => Assert.DoesNotContain(value, text, StringComparison.Ordinal));
        }

        Assert.All(log.Lines, line => Assert.All(SecretValues, value => Assert.DoesNotContain(value, line.Message, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Include_secret_data_writes_secrets_0600_and_warns()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("unix file modes");
            return;
        }

        using var ws = new TempWorkspace();
        var (outcome, report, log) = await RunAsync(ws, Snapshot(Project()), new ExportOptions { IncludeSecretData = true });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.True(report.SecretDataIncluded);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("--include-secret-data", StringComparison.Ordinal));
        var tokenPath = Path.Combine(ws.Layout.Original("p", "fraud"), "80-token-secret-default-name-fraud-sa.yaml");
        Assert.Equal(TokenBase64, Load(tokenPath).At("data").Str("token"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenPath));
        var connection = Path.Combine(ws.Layout.IsvcDir("p", "fraud"), "references", "10-secret-aws-connection-models.yaml");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(connection));
        Assert.All(log.Lines, line => Assert.All(SecretValues, value => Assert.DoesNotContain(value, line.Message, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Namespace_files_are_written_and_recorded()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Concat([
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: models-claim, namespace: p, uid: pvc-uid}
            spec: {accessModes: [ReadWriteOnce], storageClassName: gp3, resources: {requests: {storage: 10Gi}}}
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: workbench-0, namespace: p}
            spec: {volumes: [{name: data, persistentVolumeClaim: {claimName: models-claim}}], containers: [{name: c, image: i}]}
            """,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: dashboard-permissions-alice, namespace: p, labels: {opendatahub.io/dashboard: "true"}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
            """,
        ]).ToArray();
        var (_, report, _) = await RunAsync(ws, Snapshot(docs));

        Assert.Equal(["namespace", "runtimes", "pvcs", "permissions", "data-connections"], report.NamespaceFiles.Select(f => f.Role));
        var dir = ws.Layout.NamespaceFacts("p");
        var claim = (JsonObject)Assert.Single((JsonArray)Load(Path.Combine(dir, "pvcs.yaml"))["items"]!)!;
        Assert.Equal(("models-claim", "gp3", "10Gi"), (claim.Name(), claim.At("spec").Str("storageClassName"), claim.At("spec", "resources", "requests").Str("storage")));
        Assert.Equal("ReadWriteOnce", claim.At("spec", "accessModes")![0]!.GetValue<string>());
        Assert.Equal("workbench-0", claim.Annotation(NamespaceFactsWriter.MountedByAnnotation));
        Assert.Null(claim.Uid());

        var permissions = (JsonArray)Load(Path.Combine(dir, "rolebindings.yaml"))["items"]!;
        Assert.Equal(["dashboard-permissions-alice"], permissions.Select(p => ((JsonObject)p!).Name())); // the ServiceAccount binding is not a permission

        var connections = (JsonArray)Load(Path.Combine(dir, "data-connections.yaml"))["items"]!;
        var connection = (JsonObject)Assert.Single(connections)!;
        Assert.Equal("aws-connection-models", connection.Name());
        Assert.Null(connection["stringData"]);

        var runtimes = (JsonArray)Load(Path.Combine(dir, "servingruntimes.yaml"))["items"]!;
        Assert.Equal(["ovms"], runtimes.Select(r => ((JsonObject)r!).Name()));
        Assert.True(File.Exists(Path.Combine(dir, "namespace.yaml")));
    }

    [Fact]
    public async Task Cluster_backups_hold_config_dsc_dsci_and_only_runtime_templates_when_modelmesh_is_selected()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Concat([
            Runtime("mm", "p", multiModel: true, annotations: "enable-auth: 'true'"),
            Isvc("mm-model", "p", mode: "ModelMesh", runtime: "mm"),
            """
            apiVersion: template.openshift.io/v1
            kind: Template
            metadata: {name: kserve-ovms, namespace: opendatahub}
            objects: [{apiVersion: serving.kserve.io/v1alpha1, kind: ServingRuntime, metadata: {name: kserve-ovms}}]
            """,
            """
            apiVersion: template.openshift.io/v1
            kind: Template
            metadata: {name: unrelated, namespace: opendatahub}
            objects: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]
            """,
        ]).ToArray();
        var (_, report, _) = await RunAsync(ws, Snapshot(docs));

        Assert.Equal(
            [("inferenceservice-config", "inferenceservice-config"), ("template", "kserve-ovms"), ("dsc", "default-dsc"), ("dsci", "default-dsci")],
            report.ClusterFiles.Select(f => (f.Role, f.Name)));
        var dsci = Load(ws.Layout.Absolute(report.ClusterFiles.Single(f => f.Role == "dsci").Path));
        Assert.Null(dsci.Uid());
        Assert.Equal("opendatahub", dsci.At("spec").Str("applicationsNamespace"));
    }

    [Fact]
    public async Task A_runtime_deleted_after_discover_fails_that_item_only_and_leaves_no_original_folder()
    {
        using var ws = new TempWorkspace();
        var docs = Project().Append(Runtime("solo", "p")).Append(Isvc("lonely", "p", runtime: "solo")).ToArray();
        var withoutSolo = docs.Where(d => !d.Contains("name: solo\n", StringComparison.Ordinal)).ToArray();
        Assert.Equal(docs.Length - 1, withoutSolo.Length);

        var (outcome, report, log) = await RunAsync(ws, Snapshot(docs), exportFrom: Snapshot(withoutSolo));

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var failed = Assert.Single(report.Items, i => i.Status == "failed");
        Assert.Equal("lonely", failed.Name);
        Assert.Contains("ServingRuntime 'solo' (spec.predictor.model.runtime) does not exist in namespace p", failed.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ws.Layout.Original("p", "lonely")));
        Assert.True(!Directory.Exists(ws.Layout.IsvcDir("p", "lonely")) || Directory.GetFileSystemEntries(ws.Layout.IsvcDir("p", "lonely")).Length == 0);
        Assert.Equal(["fraud", "plain"], report.Items.Where(i => i.Status == "ok").Select(i => i.Name));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("p/lonely", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_re_export_replaces_the_previous_export_instead_of_mixing()
    {
        using var ws = new TempWorkspace();
        await RunAsync(ws, Snapshot(Project()));
        var stale = Path.Combine(ws.Layout.Original("p", "fraud"), "99-stale.yaml");
        File.WriteAllText(stale, "x: 1");
        Directory.CreateDirectory(Path.Combine(ws.Layout.IsvcDir("p", "fraud"), ".export-partial-999999"));

        await RunAsync(ws, Snapshot(Project()));
        Assert.False(File.Exists(stale));
        Assert.Empty(Directory.GetDirectories(ws.Layout.IsvcDir("p", "fraud"), ".*"));
        Assert.Contains("60-inferenceservice-fraud.yaml", OriginalFiles(ws, "fraud"));
    }

    [Fact]
    public async Task Forbidden_list_stops_export_before_export_json_is_written()
    {
        using var ws = new TempWorkspace();
        var snapshot = Snapshot(Project());
        await new DiscoverEngine(snapshot, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["p"] }, ws.Layout, TestContext.Current.CancellationToken);
        var forbidden = new CountingCluster(snapshot) { ForbiddenLists = new HashSet<ResourceKind> { Kinds.Secret } };

        var error = await Assert.ThrowsAsync<ClusterException>(() => new ExportEngine(forbidden, new MemoryStageLog()).RunAsync(new ExportOptions(), ws.Layout, TestContext.Current.CancellationToken));
        Assert.True(error.IsForbidden);
        Assert.Contains("secrets", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Export));
    }

    [Fact]
    public async Task Export_requests_do_not_grow_with_the_number_of_isvcs()
    {
        async Task<int> RequestsFor(int count)
        {
            using var ws = new TempWorkspace();
            var docs = new List<string> { Namespace("p"), Dsci(), ConfigMap("Serverless"), Runtime("ovms", "p") };
            for (var i = 0; i < count; i++)
            {
                docs.Add(Isvc($"m{i}", "p", annotations: "security.opendatahub.io/enable-auth: 'true'"));
                docs.Add(Auth($"m{i}", "p"));
                docs.Add(Route($"m{i}", "p"));
            }

            var snapshot = Snapshot([.. docs]);
            await new DiscoverEngine(snapshot, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["p"] }, ws.Layout, TestContext.Current.CancellationToken);
            var counting = new CountingCluster(snapshot);
            var outcome = await new ExportEngine(counting, new MemoryStageLog()).RunAsync(new ExportOptions(), ws.Layout, TestContext.Current.CancellationToken);
            Assert.Equal(ExitCodes.Success, outcome.ExitCode);
            Assert.Equal(7, Directory.GetFiles(ws.Layout.Original("p", $"m{count - 1}")).Length);
            return counting.Requests;
        }

        Assert.Equal(await RequestsFor(2), await RequestsFor(40));
    }

    [Fact]
    public async Task Items_written_in_parallel_give_the_same_files_and_report_as_one_at_a_time()
    {
        var documents = Enumerable.Range(0, 12).SelectMany(i => new[]
        {
            Isvc($"m{i:00}", "p", runtime: "ovms", annotations: "security.opendatahub.io/enable-auth: 'true'"), Auth($"m{i:00}", "p"), Route($"m{i:00}", "p"),
        }).Concat([Namespace("p"), Dsci(), Dsc(), ConfigMap("Serverless"), Runtime("ovms", "p"), DataConnection("aws-connection-models", "p")]).ToArray();
        using var sequential = new TempWorkspace();
        using var parallel = new TempWorkspace();
        var (one, oneReport, _) = await RunAsync(sequential, Snapshot(documents), new ExportOptions { Parallelism = 1 });
        var (many, manyReport, _) = await RunAsync(parallel, Snapshot(documents), new ExportOptions { Parallelism = 4 });

        Assert.Equal(ExitCodes.Success, one.ExitCode);
        Assert.Equal(ExitCodes.Success, many.ExitCode);
        Assert.Equal(oneReport.Items.Select(i => i.Name), manyReport.Items.Select(i => i.Name));
        Assert.Equal(oneReport.Items.SelectMany(i => i.Files).Select(f => (f.Path, f.Sha256)), manyReport.Items.SelectMany(i => i.Files).Select(f => (f.Path, f.Sha256)));
        Assert.Equal(12 * 8, manyReport.Items.Sum(i => i.Files.Count));
        var files = Directory.GetFiles(parallel.Layout.Root, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(parallel.Layout.Root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Directory.GetFiles(sequential.Layout.Root, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(sequential.Layout.Root, f)).Order(StringComparer.Ordinal), files);
        Assert.DoesNotContain(Directory.GetDirectories(parallel.Layout.Root, "*", SearchOption.AllDirectories), d => d.Contains(".export-partial-", StringComparison.Ordinal));
    }
}
