using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests;

public sealed class YamlTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("123")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("--model_name={{.Name}}")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("line1\nline2")]
    [InlineData("{\"defaultDeploymentMode\": \"Serverless\"}")]
    public void Strings_round_trip_as_strings(string value)
    {
        var obj = new JsonObject { ["v"] = value };
        var back = Yaml.ParseSingle(Yaml.Serialize(obj), "t")!.AsObject();
        Assert.Equal(value, back["v"]!.GetValue<string>());
    }

    [Fact]
    public void Scalars_resolve_with_the_core_schema()
    {
        var node = Yaml.ParseSingle("a: true\nb: 3\nc: '3'\nd: ~\ne: 1.5\nf: text\n", "t")!.AsObject();
        Assert.True(node["a"]!.GetValue<bool>());
        Assert.Equal(3L, node["b"]!.GetValue<long>());
        Assert.Equal("3", node["c"]!.GetValue<string>());
        Assert.Null(node["d"]);
        Assert.Equal(1.5, node["e"]!.GetValue<double>());
        Assert.Equal("text", node["f"]!.GetValue<string>());
    }

    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        var ex = Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments("a: b\nc: [d\n", "bad.yaml"));
        Assert.Contains("bad.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line", ex.Message, StringComparison.Ordinal);
    }
}
