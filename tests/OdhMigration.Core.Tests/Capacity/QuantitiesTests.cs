using System.Text.Json.Nodes;
using OdhMigration.Core.Capacity;

namespace OdhMigration.Core.Tests.Capacity;

public sealed class QuantitiesTests
{
    private const decimal Gi = 1024m * 1024 * 1024;

    public static TheoryData<string, decimal> Valid => new()
    {
        { "100m", 0.1m },
        { "2", 2m },
        { "1.5", 1.5m },
        { "4Gi", 4 * Gi },
        { "512Mi", 512m * 1024 * 1024 },
        { "1Ki", 1024m },
        { "1Ti", 1024 * Gi },
        { "1Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024 },
        { "1e3", 1000m },
        { "1E3", 1000m },
        { "2e-3", 0.002m },
        { "1e+2", 100m },
        { "1k", 1000m },
        { "1M", 1_000_000m },
        { "1G", 1_000_000_000m },
        { "1E", 1_000_000_000_000_000_000m },
        { "250n", 0.00000025m },
        { "5u", 0.000005m },
        { "0", 0m },
        { "0Gi", 0m },
        { ".5", 0.5m },
        { "1.", 1m },
        { "+3", 3m },
        { "1.5Gi", 1.5m * Gi },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_to_base_units(string text, decimal expected) =>
        Assert.Equal(expected, Quantities.Parse(text, "Pod p/x: spec.containers[0].resources.requests.cpu"));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1 Gi")]
    [InlineData(" 1")]
    [InlineData("1gi")]
    [InlineData("1KB")]
    [InlineData("1e")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData(".")]
    [InlineData("Gi")]
    [InlineData("1e99")]
    [InlineData("1e3.5")]
    public void A_bad_quantity_is_refused_naming_the_object_and_field(string text)
    {
        var error = Assert.Throws<QuantityException>(() => Quantities.Parse(text, "InferenceService p/fraud: spec.predictor.model.resources.requests.memory"));

        Assert.StartsWith("InferenceService p/fraud: spec.predictor.model.resources.requests.memory: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(Quantities.TryParse(text, out _));
    }

    [Fact]
    public void Yaml_numbers_and_strings_both_parse_and_other_values_are_refused()
    {
        Assert.Equal(2m, Quantities.Parse(JsonValue.Create(2), "x"));
        Assert.Equal(0.1m, Quantities.Parse(JsonValue.Create(0.1m), "x"));
        Assert.Equal(4 * Gi, Quantities.Parse(JsonValue.Create("4Gi"), "x"));
        Assert.Contains("node n: status.allocatable.cpu", Assert.Throws<QuantityException>(() => Quantities.Parse(JsonValue.Create(true), "node n: status.allocatable.cpu")).Message, StringComparison.Ordinal);
        Assert.Throws<QuantityException>(() => Quantities.Parse(new JsonObject(), "x"));
        Assert.Throws<QuantityException>(() => Quantities.Parse((JsonNode?)null, "x"));
    }

    [Fact]
    public void Format_prints_base_units_without_exponent()
    {
        Assert.Equal("0.5", Quantities.Format(0.5m));
        Assert.Equal("4294967296", Quantities.Format(4 * Gi));
    }
}
