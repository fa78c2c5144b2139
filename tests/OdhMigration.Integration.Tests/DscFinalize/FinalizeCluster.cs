using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Support;
using OdhMigration.Simulator;

namespace OdhMigration.Integration.Tests.DscFinalize;

/// <summary>
/// A simulated cluster holding the upstream 2.x DataScienceCluster and DSCInitialization samples (plus whatever a test
/// adds), and a way to run the real <c>odh-dsc-finalize</c> command against it in-process.
/// </summary>
public sealed class FinalizeCluster : IAsyncDisposable
{
    // Properties, not static fields: without the upstream files the tests fail with that one cause, not a type initializer error.
    private static string FixtureDir => Path.Combine(RepoPaths.Shared, "fixtures", "upstream", "odh-operator", "stable-2.x");

    public static string UpstreamDsc => File.ReadAllText(Path.Combine(FixtureDir, "datasciencecluster_v1_datasciencecluster.yaml"));
    public static string UpstreamDsci => File.ReadAllText(Path.Combine(FixtureDir, "dscinitialization_v1_dscinitialization.yaml"));

    /// <summary>The applications namespace the upstream DSCI names, with a Serverless cluster default.</summary>
    public const string ApplicationsNamespace = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: redhat-ods-applications}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: inferenceservice-config, namespace: redhat-ods-applications}
        data:
          deploy: '{"defaultDeploymentMode": "Serverless"}'
        """;

    public const string MigratedIsvc = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: fraud-raw
          namespace: team
          annotations: {serving.kserve.io/deploymentMode: RawDeployment}
        spec: {predictor: {model: {modelFormat: {name: onnx}, storageUri: "s3://b/m"}}}
        """;

    public const string LegacyOperators = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: openshift-serverless}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: openshift-operators}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: Subscription
        metadata: {name: serverless-operator, namespace: openshift-serverless}
        spec: {name: serverless-operator, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace}
        status: {installedCSV: serverless-operator.v1.35.0}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: ClusterServiceVersion
        metadata: {name: serverless-operator.v1.35.0, namespace: openshift-serverless}
        spec: {displayName: Red Hat OpenShift Serverless}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: Subscription
        metadata: {name: servicemeshoperator, namespace: openshift-operators}
        spec: {name: servicemeshoperator, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace}
        status: {installedCSV: servicemeshoperator.v2.6.5}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: ClusterServiceVersion
        metadata: {name: servicemeshoperator.v2.6.5, namespace: openshift-operators}
        spec: {displayName: Red Hat OpenShift Service Mesh}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: Subscription
        metadata: {name: authorino-operator, namespace: openshift-operators}
        spec: {name: authorino-operator, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace}
        status: {installedCSV: authorino-operator.v1.2.0}
        ---
        apiVersion: operators.coreos.com/v1alpha1
        kind: ClusterServiceVersion
        metadata: {name: authorino-operator.v1.2.0, namespace: openshift-operators}
        spec: {displayName: Authorino Operator}
        """;

    private readonly TempWorkspace _workspace = new();

    private FinalizeCluster(SimulatedCluster sim) => Sim = sim;

    public SimulatedCluster Sim { get; }
    public string Workspace => _workspace.Path;

    public static async Task<FinalizeCluster> StartAsync(params string[] yamlParts) => await StartAsync(null, yamlParts);

    public static async Task<FinalizeCluster> StartAsync(SimulatorOptions? options, params string[] yamlParts)
    {
        var text = string.Join("\n---\n", yamlParts.Select(p => p.Trim()));
        var snapshot = SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "finalize-test-snapshot"));
        return new FinalizeCluster(await SimulatedCluster.StartAsync(snapshot, options));
    }

    /// <summary>Runs <c>odh-dsc-finalize</c> exactly as the tool's entry point does, with --workspace and --kubeconfig filled in.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        string[] full = [.. args, "--workspace", Workspace, "--kubeconfig", Sim.Kubeconfig];
        var exit = await CliApp.RunAsync(StageCatalog.DscFinalize.CreateRoot(io), full, io, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public async Task<JsonObject> GetAsync(ResourceKind kind, string name, string? ns = null) =>
        await Sim.Cluster.GetAsync(kind, ns, name, TestContext.Current.CancellationToken)
        ?? throw new InvalidOperationException($"{kind.Kind} {name} not found in the simulator");

    public async Task<JsonObject?> FindAsync(ResourceKind kind, string name, string? ns = null) =>
        await Sim.Cluster.GetAsync(kind, ns, name, TestContext.Current.CancellationToken);

    public JsonObject FinalizeReport() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Workspace, "finalize.json")))!;

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        _workspace.Dispose();
    }
}
