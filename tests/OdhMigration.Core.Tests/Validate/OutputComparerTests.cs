using System.Text.Json.Nodes;
using OdhMigration.Core.Stages.Validate;

namespace OdhMigration.Core.Tests.Validate;

public sealed class OutputComparerTests
{
    [Fact]
    public void V1_predictions_within_tolerance_match()
    {
        var result = OutputComparer.Compare(JsonNode.Parse("""{"predictions":[[0.1,0.9]]}"""), JsonNode.Parse("""{"predictions":[[0.1000001,0.9]]}"""), 1e-3);
        Assert.True(result.Equal);
        Assert.InRange(result.MaxDifference, 1e-8, 1e-6);
    }

    [Fact]
    public void V2_outputs_compare_by_name_regardless_of_order_and_ignore_model_version()
    {
        var a = JsonNode.Parse("""{"model_name":"a","model_version":"1","outputs":[{"name":"p","shape":[1],"datatype":"FP32","data":[0.5]},{"name":"q","shape":[1],"datatype":"INT64","data":[3]}]}""");
        var b = JsonNode.Parse("""{"model_name":"b","outputs":[{"name":"q","shape":[1],"datatype":"INT64","data":[3]},{"name":"p","shape":[1],"datatype":"FP32","data":[0.5]}]}""");
        Assert.True(OutputComparer.Compare(a, b, 0).Equal);
    }

    [Fact]
    public void A_difference_beyond_tolerance_names_the_path()
    {
        var result = OutputComparer.Compare(JsonNode.Parse("""{"predictions":[1,2,3]}"""), JsonNode.Parse("""{"predictions":[1,2,3.5]}"""), 0.1);
        Assert.False(result.Equal);
        Assert.Contains("$[2]", result.Message);
    }

    [Fact]
    public void Different_shapes_and_labels_do_not_match()
    {
        Assert.False(OutputComparer.Compare(JsonNode.Parse("""{"predictions":[1,2]}"""), JsonNode.Parse("""{"predictions":[1]}"""), 1).Equal);
        Assert.False(OutputComparer.Compare(JsonNode.Parse("""{"predictions":["cat"]}"""), JsonNode.Parse("""{"predictions":["dog"]}"""), 1).Equal);
    }

    [Theory]
    [InlineData("""{"instances":[[1,2]]}""", "v1")]
    [InlineData("""{"inputs":[[1,2]]}""", "v1")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", "v2")]
    public void The_protocol_is_read_from_the_request(string body, string protocol) =>
        Assert.Equal(protocol, InferenceProbe.Protocol(JsonNode.Parse(body)!));
}
