using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Export;

namespace OdhMigration.Core.Tests.Export;

public sealed class CompactObjectsTests
{
    private static readonly JsonObject Original = (JsonObject)Yaml.ParseSingle("""
        apiVersion: v1
        kind: Secret
        metadata: {name: café-sa, namespace: p, labels: {a: "1"}}
        type: kubernetes.io/service-account-token
        stringData: {note: "line\nbreak \u00e9 \"quoted\""}
        spec: {replicas: 3, ratio: 0.25, on: true, nothing: null}
        """, "t")!;

    [Fact]
    public void Every_read_is_an_independent_copy_equal_to_the_original()
    {
        var compact = CompactObjects.From([Original, Original]);
        Assert.Equal(2, compact.Count);
        var first = compact[0];
        Assert.True(JsonNode.DeepEquals(Original, first), first.ToJsonString());
        first.Metadata()["name"] = "changed";
        Assert.Equal("café-sa", compact[0].Name());
        Assert.NotSame(compact[1], compact[1]);
        Assert.Equal(["café-sa", "café-sa"], compact.Select(o => o.Name()));
    }

    [Fact]
    public void The_source_list_can_change_afterwards_without_affecting_the_compact_copy()
    {
        var source = new List<JsonObject> { (JsonObject)Original.DeepClone() };
        var compact = CompactObjects.From(source);
        source[0]["spec"] = null;
        Assert.Equal(3, compact[0]["spec"]!["replicas"]!.GetValue<int>());
    }
}
