using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Discover;

public sealed class StreamingYamlReaderTests
{
    public static TheoryData<string> Files()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Samples, "*.yaml").ToList();
        var upstream = Path.Combine(RepoPaths.Shared, "fixtures", "upstream");
        if (Directory.Exists(upstream))
        {
            files.AddRange(Directory.EnumerateFiles(upstream, "*.yaml", SearchOption.AllDirectories));
        }

        return new TheoryData<string>(files.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Reads_every_file_exactly_as_the_tree_parser_does(string path)
    {
        var text = File.ReadAllText(path);
        IReadOnlyList<YamlDocument> expected;
        try
        {
            expected = Yaml.ParseDocuments(text, path);
        }
        catch (ManifestFormatException)
        {
            // Input the tree parser refuses (e.g. a templated file) must be refused by the streaming reader too.
            Assert.Throws<ManifestFormatException>(() => StreamingYamlReader.ReadDocuments(new StringReader(text), path).ToList());
            return;
        }

        using var reader = new StringReader(text);
        var actual = StreamingYamlReader.ReadDocuments(reader, path).ToList();

        Assert.Equal(expected.Select(d => (Manifest.Canonical(d.Root), d.Line)), actual.Select(d => (Manifest.Canonical(d.Root), d.Line)));
    }

    [Fact]
    public void Scalars_anchors_and_empty_documents_resolve_like_the_tree_parser()
    {
        const string text = """
            ---
            ---
            a: &x
              n: 1
              f: 1.5
              b: true
              s: "1"
              z: ~
              e:
              y: yes
              str: !!str 12
              lit: |
                two
                lines
            b: *x
            list: [1, '2', null]
            """;
        var expected = Yaml.ParseDocuments(text, "t.yaml");
        var actual = StreamingYamlReader.ReadDocuments(new StringReader(text), "t.yaml").ToList();
        Assert.Equal(expected.Select(d => Manifest.Canonical(d.Root)), actual.Select(d => Manifest.Canonical(d.Root)));
        Assert.Single(actual);
    }

    [Fact]
    public void Malformed_yaml_names_the_file_and_line()
    {
        var error = Assert.Throws<ManifestFormatException>(() =>
            StreamingYamlReader.ReadDocuments(new StringReader("a: 1\n---\nb: [1, 2\nc: 3\n"), "snap.yaml").ToList());
        Assert.StartsWith("snap.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }
}
