using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Cluster;

public sealed class SnapshotLoaderTests
{
    private const string Isvc = """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: m1
          namespace: ns1
        """;

    [Fact]
    public void Reads_multi_document_files_and_lists()
    {
        var text = Isvc + "\n---\n" + """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: sa1, namespace: ns1}
            - apiVersion: v1
              kind: Secret
              metadata: {name: s1, namespace: ns1}
            """;
        var objects = SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "snap.yaml"));
        Assert.Equal(["InferenceService", "ServiceAccount", "Secret"], objects.Select(o => o.Kind.Kind));
    }

    [Fact]
    public void Reads_a_folder_recursively_in_name_order()
    {
        using var ws = new TempWorkspace();
        Directory.CreateDirectory(Path.Combine(ws.Path, "sub"));
        File.WriteAllText(Path.Combine(ws.Path, "b.yaml"), Isvc.Replace("m1", "m2", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(ws.Path, "sub", "a.yml"), Isvc);
        File.WriteAllText(Path.Combine(ws.Path, "notes.txt"), "ignored");

        var objects = SnapshotLoader.Load(ws.Path);
        Assert.Equal(["m2", "m1"], objects.Select(o => o.Object.Name()));
    }

    [Fact]
    public void An_unknown_kind_names_the_file_line_and_kind()
    {
        var text = Isvc + "\n---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n";
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "snap.yaml")));
        Assert.Contains("snap.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Gizmo'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crd_in_the_snapshot_registers_its_kind()
    {
        var text = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Gizmo, plural: gizmos}
              versions:
              - name: v1
                served: true
                storage: true
            ---
            apiVersion: example.com/v1
            kind: Gizmo
            metadata: {name: g, namespace: ns1}
            """;
        var gizmo = Assert.Single(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "snap.yaml")));
        Assert.Equal("gizmos", gizmo.Kind.Plural);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {namespace: ns1}\n", "without metadata.name")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "has no metadata.namespace")]
    [InlineData("kind: Secret\nmetadata: {name: s}\n", "without apiVersion/kind")]
    [InlineData("- just\n- a list\n", "expected a Kubernetes object")]
    public void Objects_missing_identity_are_refused(string text, string expected)
    {
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "snap.yaml")));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("snap.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_cluster_knows_namespaces_that_only_hold_objects()
    {
        var cluster = new SnapshotCluster(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Isvc, "snap.yaml")), "test");
        Assert.NotNull(await cluster.GetAsync(Kinds.Namespace, null, "ns1", TestContext.Current.CancellationToken));
        Assert.Null(await cluster.GetAsync(Kinds.Namespace, null, "other", TestContext.Current.CancellationToken));
        Assert.Single(await cluster.ListAsync(Kinds.InferenceService, "ns1", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Empty(await cluster.ListAsync(Kinds.InferenceService, "other", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Every_read_of_the_offline_cluster_is_an_independent_copy()
    {
        var cluster = new SnapshotCluster(SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Isvc, "snap.yaml")), "test");
        var ct = TestContext.Current.CancellationToken;
        var first = Assert.Single(await cluster.ListAsync(Kinds.InferenceService, "ns1", null, ct));
        first["spec"] = new System.Text.Json.Nodes.JsonObject();
        first.Metadata()["name"] = "changed";

        var again = Assert.Single(await cluster.ListAsync(Kinds.InferenceService, "ns1", null, ct));
        Assert.Null(again["spec"]);
        Assert.Equal("m1", again.Name());
        var got = await cluster.GetAsync(Kinds.InferenceService, "ns1", "m1", ct);
        Assert.NotNull(got);
        Assert.NotSame(again, got);
        Assert.Null(await cluster.GetAsync(Kinds.InferenceService, "other", "m1", ct));
    }

    [Fact]
    public async Task A_snapshot_file_whose_crd_comes_after_its_objects_loads_streamed()
    {
        using var ws = new TempWorkspace();
        var path = Path.Combine(ws.Path, "snap.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: example.com/v1
            kind: Gizmo
            metadata: {name: g, namespace: p}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.example.com}
            spec:
              group: example.com
              names: {kind: Gizmo, plural: gizmos}
              scope: Namespaced
              versions: [{name: v1, served: true, storage: true}]
            """, TestContext.Current.CancellationToken);
        // Before streaming, the kind was known because every object was held until the end; it still must be.
        var cluster = SnapshotCluster.Load(path);
        Assert.Contains("p", cluster.ImplicitNamespaces);
        Assert.Equal("gizmos", Assert.Single(SnapshotLoader.Load(path)).Kind.Plural);
    }
}
