using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>Snapshots an API server could never have produced: duplicates and wrongly typed fields are refused by file and line.</summary>
public sealed class HostileSnapshotTests
{
    private const string Namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: p}\n";

    private static ManifestFormatException Refused(string text, string source = "snap.yaml") =>
        Assert.Throws<ManifestFormatException>(() => SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, source)));

    [Fact]
    public void Duplicate_objects_are_refused_naming_both_places()
    {
        var isvc = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: m, namespace: p}\nspec: {predictor: {}}\n";
        var ex = Refused(Namespace + "---\n" + isvc + "---\n" + isvc);
        Assert.Contains("snap.yaml: line 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceService p/m appears twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("also snap.yaml: line 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_object_under_two_versions_of_its_group_is_a_duplicate()
    {
        var v1alpha1 = "apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: rt, namespace: p}\nspec: {}\n";
        var ex = Refused(Namespace + "---\n" + v1alpha1 + "---\n" + v1alpha1.Replace("v1alpha1", "v1beta1", StringComparison.Ordinal));
        Assert.Contains("ServingRuntime p/rt appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_across_files_of_a_folder_name_both_files()
    {
        using var ws = new TempWorkspace();
        var cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: p}\n";
        File.WriteAllText(Path.Combine(ws.Path, "a.yaml"), cm);
        File.WriteAllText(Path.Combine(ws.Path, "b.yaml"), cm);
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.Load(ws.Path));
        Assert.Contains("b.yaml: line 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.yaml: line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_name_in_different_namespaces_or_kinds_is_not_a_duplicate()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: p}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: q}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: c, namespace: p}\n";
        Assert.Equal(3, SnapshotLoader.FromDocuments(Yaml.ParseDocuments(text, "ok.yaml")).Count);
    }

    [Theory]
    [InlineData("metadata: hello\n", "metadata is a String, not a mapping")]
    [InlineData("metadata: [a, b]\n", "metadata is a Array, not a mapping")]
    [InlineData("metadata: {name: [x], namespace: p}\n", "metadata.name is a Array, not a string")]
    [InlineData("metadata: {name: m, namespace: 7}\n", "metadata.namespace is a Number, not a string")]
    [InlineData("metadata: {name: m, namespace: p, labels: x}\n", "metadata.labels is a String, not a mapping")]
    [InlineData("metadata: {name: m, namespace: p}\nspec: hello\n", "spec is a String, not a mapping")]
    public void Wrongly_typed_metadata_or_spec_is_refused_naming_the_field(string body, string expected)
    {
        var ex = Refused("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n" + body);
        Assert.Contains("snap.yaml: line 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crd_with_a_scalar_spec_is_refused_not_an_exception()
    {
        var ex = Refused("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gadgets.example.com}\nspec: hello\n");
        Assert.Contains("CustomResourceDefinition 'gadgets.example.com': spec is a String, not a mapping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crd_with_wrongly_typed_names_registers_nothing_instead_of_throwing()
    {
        var text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gadgets.example.com}\nspec: {group: example.com, names: hello, versions: [{name: v1, storage: true}]}\n---\n"
            + "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: p}\n";
        var ex = Refused(text);
        Assert.Contains("unknown kind 'Gadget'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_of_an_object_with_scalar_metadata_is_empty_not_an_exception()
    {
        var obj = (System.Text.Json.Nodes.JsonObject)Yaml.ParseSingle("kind: X\nmetadata: hello\n", "x.yaml")!;
        Assert.Equal("", obj.Name());
        Assert.Null(obj.Namespace());
    }
}
