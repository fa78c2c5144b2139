using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.Manifests;

/// <summary>
/// The product's YAML writer against YamlDotNet's emitter: byte-for-byte the same text, and text that reads back as
/// the same tree, for every real manifest and CRD we have and for strings chosen to break YAML writers.
/// </summary>
public sealed class YamlWriterTests
{
    public static readonly string[] AwkwardStrings =
    [
        "", " lead", "trail ", "a\nb", "a\nb\n", "a\n\n", "\n", "\nfoo", "a\r\nb", "tab\there", "tab at end\t", "ünïcödé",
        "emoji 😀 here", "\u0001ctl", "x\u0085y", "nb\u00a0sp", "line\u2028sep", "yes", "No", "on", "1.0", "0x1F",
        "1e3", "-1", "+1", ".5", "~", "null", "true", "False", "- a", "? x", "a: b", "a #b", "#x", "@x", "`x", "'q'", "\"dq\"",
        "{x}", "[x]", "a,b", "%x", "*x", "&x", "!x", "|x", ">x", "ends with colon:", "a:b", "http://h:80/p?q=1#f",
        "line1\n  indented\nline3", "trailing space \nx", "x\ty\n", "back\\slash", "--model_name={{.Name}}", "$(params.x)",
        "--- doc", "... end", "quote\"inside", "multi\n\n\nblank lines", "ends\n\n\n", "\t", " ", "a  b", "é\nwith accent block",
    ];

    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        var roots = new[]
        {
            Path.Combine(RepoPaths.Shared, "fixtures", "upstream"),
            Path.Combine(RepoPaths.Shared, "crds"),
            RepoPaths.Samples,
        };
        // *.TEMPLATE.yaml files are test templates with placeholders, not YAML.
        foreach (var file in roots.SelectMany(r => Directory.EnumerateFiles(r, "*.yaml", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".TEMPLATE.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Shared, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Every_real_manifest_is_written_exactly_as_yamldotnet_writes_it_and_reads_back_the_same(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(RepoPaths.Shared, relativePath));
        foreach (var document in Yaml.ParseDocuments(File.ReadAllText(path), path))
        {
            AssertSameAsReference(document.Root);
        }
    }

    [Fact]
    public void Awkward_strings_as_values_keys_and_sequence_items_match_and_round_trip()
    {
        foreach (var text in AwkwardStrings)
        {
            AssertSameAsReference(new JsonObject { ["v"] = text });
            AssertSameAsReference(new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonObject { ["v"] = text } } });
            AssertSameAsReference(new JsonObject { ["list"] = new JsonArray(text, new JsonObject { ["k"] = text, ["k2"] = text }, new JsonArray(text, text)) });
            if (text.Length > 0 && text.IndexOfAny(['\n', '\r', '\u0085', '\u2028', '\u2029']) < 0)
            {
                AssertSameAsReference(new JsonObject { [text] = "value" });
            }
            else if (text.Length > 0)
            {
                // YamlDotNet writes a key holding a line break as a complex "? key" entry; ours quotes it. Both read back.
                var key = new JsonObject { [text] = "value" };
                Assert.True(JsonNode.DeepEquals(key, Yaml.ParseSingle(Yaml.Serialize(key), "key")), text);
            }
        }
    }

    [Fact]
    public void Shapes_match_empty_collections_nulls_numbers_and_nested_sequences()
    {
        var node = JsonNode.Parse("""
            {"a":{},"b":[],"c":null,"d":1,"e":-2.5,"f":true,"g":[[1,2],[[3]],[]],"h":[{},{"x":[{"y":{}}]}],"i":{"j":[null,false]}}
            """);
        AssertSameAsReference(node);
        AssertSameAsReference(new JsonArray(1, "two", new JsonObject { ["three"] = 3 }));
        AssertSameAsReference(new JsonObject());
    }

    [Fact]
    public void A_byte_order_mark_inside_a_string_is_escaped_so_no_reader_drops_it()
    {
        var node = new JsonObject { ["v"] = "\ufeffbom" };
        var text = Yaml.Serialize(node);
        Assert.Equal("v: \"\\uFEFFbom\"\n", text);
        Assert.True(JsonNode.DeepEquals(node, Yaml.ParseSingle(text, "bom")));
    }

    [Fact]
    public void A_block_starting_with_an_empty_line_is_quoted_and_still_reads_back()
    {
        var text = Yaml.Serialize(new JsonObject { ["v"] = "\n  indented first\nsecond" });
        Assert.Equal("v: \"\\n  indented first\\nsecond\"\n", text);
    }

    private static void AssertSameAsReference(JsonNode? node)
    {
        var ours = Yaml.Serialize(node);
        var reference = YamlDotNetReferenceEmitter.Serialize(node);
        Assert.Equal(reference, ours);
        var back = Yaml.ParseSingle(ours, "round-trip");
        Assert.True(JsonNode.DeepEquals(node, back), $"does not read back as written:\n{ours}");
    }
}
