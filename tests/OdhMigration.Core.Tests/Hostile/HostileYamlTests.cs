using System.Text;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>
/// Hostile YAML against every reader (the tree parser, the streaming snapshot reader, the JSON path): each bound of
/// <see cref="YamlLimits"/> refuses with a message naming the file, line and limit instead of exhausting memory or
/// the stack; real upstream CRDs stay well inside the bounds.
/// </summary>
public sealed class HostileYamlTests
{
    /// <summary>Nine levels of ten aliases: 10^9 nodes once expanded.</summary>
    public static string BillionLaughs()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol, namespace: p}\ndata:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append("  a").Append(i).Append(": &a").Append(i).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }

        return text.ToString();
    }

    public static string Nested(int depth)
    {
        // Flow style: the depth costs two characters per level, as an attacker would write it.
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: p}\ndata:\n  x: " + new string('[', depth) + new string(']', depth) + "\n";
    }

    public static string HugeScalar(int length) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: p}\ndata:\n  x: \"" + new string('x', length) + "\"\n";

    [Fact]
    public void Billion_laughs_is_refused_by_the_tree_parser_naming_file_line_and_limit()
    {
        var ex = Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments(BillionLaughs(), "laughs.yaml"));
        Assert.Contains("laughs.yaml: line ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("alias expansion limit of 1,000,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused_by_the_streaming_snapshot_reader()
    {
        using var ws = new TempWorkspace();
        var file = Path.Combine(ws.Path, "laughs.yaml");
        File.WriteAllText(file, BillionLaughs());
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.Load(file));
        Assert.Contains("laughs.yaml: line ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("alias expansion limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_within_the_budget_still_expand()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: p}\ndata:\n  base: &b {k: v}\n  copy: *b\n";
        var doc = Assert.Single(Yaml.ParseDocuments(text, "ok.yaml"));
        Assert.Equal("v", doc.Root!["data"]!["copy"]!["k"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Deep_nesting_is_refused_by_both_readers_not_a_stack_overflow(int depth)
    {
        var text = Nested(depth);
        var tree = Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments(text, "deep.yaml"));
        Assert.Contains("deep.yaml: line 5", tree.Message, StringComparison.Ordinal);
        Assert.Contains("nesting depth limit of 64", tree.Message, StringComparison.Ordinal);

        var streamed = Assert.Throws<ManifestFormatException>(() => StreamingYamlReader.ReadDocuments(new StringReader(text), "deep.yaml").ToList());
        Assert.Contains("nesting depth limit of 64", streamed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_limit_is_accepted()
    {
        // The document's own mapping and data: are two levels; the flow sequences fill the rest up to 64.
        var doc = Assert.Single(Yaml.ParseDocuments(Nested(YamlLimits.MaxDepth - 2), "edge.yaml"));
        Assert.NotNull(doc.Root);
        Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments(Nested(YamlLimits.MaxDepth - 1), "edge.yaml"));
    }

    [Fact]
    public void Deep_json_snapshot_is_refused_with_a_line_through_the_yaml_path()
    {
        using var ws = new TempWorkspace();
        var file = Path.Combine(ws.Path, "deep.json");
        File.WriteAllText(file, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\",\"namespace\":\"p\"},\"data\":{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}}");
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.Load(file));
        Assert.Contains("deep.json: line 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nesting depth limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scalar_over_the_limit_is_refused_naming_its_size()
    {
        var ex = Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments(HugeScalar(YamlLimits.MaxScalarLength + 1), "big.yaml"));
        Assert.Contains("big.yaml: line 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scalar length limit of 4,194,304", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_giant_scalar_is_refused_while_it_is_read_not_after_it_is_built()
    {
        using var ws = new TempWorkspace();
        var file = Path.Combine(ws.Path, "giant.yaml");
        File.WriteAllText(file, HugeScalar((int)YamlLimits.MaxCharactersPerToken + 10_000));
        var streamed = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.Load(file));
        Assert.Matches(@"giant\.yaml: line \d+: more than 26,214,400 characters without a complete YAML token", streamed.Message);
        var tree = Assert.Throws<ManifestFormatException>(() => Yaml.ParseDocuments(File.ReadAllText(file), "giant.yaml"));
        Assert.Contains("without a complete YAML token", tree.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_string_over_the_limit_is_refused_with_a_line()
    {
        using var ws = new TempWorkspace();
        var file = Path.Combine(ws.Path, "big.json");
        File.WriteAllText(file, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\",\"namespace\":\"p\"},\"data\":{\"x\":\"" + new string('x', YamlLimits.MaxScalarLength + 10) + "\"}}");
        var ex = Assert.Throws<ManifestFormatException>(() => SnapshotLoader.Load(file));
        Assert.Contains("big.json: line 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scalar length limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_documents_in_one_file_are_refused()
    {
        var text = new StringBuilder((YamlLimits.MaxDocumentsPerFile + 2) * 6);
        for (var i = 0; i <= YamlLimits.MaxDocumentsPerFile; i++)
        {
            text.Append("--- 1\n");
        }

        var ex = Assert.Throws<ManifestFormatException>(() => StreamingYamlReader.ReadDocuments(new StringReader(text.ToString()), "many.yaml").Count());
        Assert.Contains("many.yaml: line 1000001", ex.Message, StringComparison.Ordinal);
        Assert.Contains("documents per file limit of 1,000,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_upstream_crd_and_fixture_loads_within_the_limits()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Shared, "*.yaml", SearchOption.AllDirectories)
            .Where(f => f.Contains("/crds/", StringComparison.Ordinal) || f.Contains("/fixtures/", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 20, $"only {files.Count} upstream files found under {RepoPaths.Shared}");
        var refusedByLimit = new List<string>();
        foreach (var file in files)
        {
            try
            {
                Yaml.ParseDocuments(File.ReadAllText(file), file);
            }
            catch (ManifestFormatException ex) when (ex.Message.Contains("limit of", StringComparison.Ordinal))
            {
                refusedByLimit.Add(ex.Message);
            }
            catch (ManifestFormatException)
            {
                // not our concern here: some fixtures are templates, not plain YAML
            }
        }

        Assert.Empty(refusedByLimit);
    }
}
