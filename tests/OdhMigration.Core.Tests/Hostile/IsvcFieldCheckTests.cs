using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>Wrongly typed ISVC fields are a refusal of that ISVC naming the field, never copied into new manifests.</summary>
public sealed class IsvcFieldCheckTests
{
    private static JsonObject Isvc(string predictor) =>
        (JsonObject)Yaml.ParseSingle($"apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {{name: m, namespace: p}}\nspec:\n  predictor: {predictor}\n", "isvc.yaml")!;

    [Theory]
    [InlineData("{minReplicas: abc}", "spec.predictor.minReplicas is the string 'abc'")]
    [InlineData("{minReplicas: -1}", "spec.predictor.minReplicas is -1")]
    [InlineData("{maxReplicas: 1.5}", "spec.predictor.maxReplicas is 1.5")]
    [InlineData("{maxReplicas: \"3\"}", "spec.predictor.maxReplicas is the string '3'")]
    [InlineData("{scaleTarget: [1]}", "spec.predictor.scaleTarget is a list")]
    [InlineData("{containerConcurrency: true}", "spec.predictor.containerConcurrency is true")]
    [InlineData("{canaryTrafficPercent: 150}", "spec.predictor.canaryTrafficPercent is 150")]
    [InlineData("{minReplicas: 5, maxReplicas: 2}", "spec.predictor.minReplicas 5 is more than maxReplicas 2")]
    [InlineData("hello", "spec.predictor is the string 'hello', not a mapping")]
    public void Invalid_values_are_refused_naming_object_and_field(string predictor, string expected)
    {
        var ex = Assert.Throws<TransformRefusedException>(() => IsvcFieldCheck.Check(Isvc(predictor)));
        Assert.Contains("InferenceService p/m", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{minReplicas: 0, maxReplicas: 3, scaleTarget: 80, containerConcurrency: 0, timeout: 60, canaryTrafficPercent: 100}")]
    [InlineData("{minReplicas: 2, maxReplicas: 0}")]
    [InlineData("{model: {runtime: rt}}")]
    public void Valid_values_pass(string predictor) => IsvcFieldCheck.Check(Isvc(predictor));

    [Fact]
    public void A_scalar_spec_is_refused()
    {
        var isvc = (JsonObject)Yaml.ParseSingle("kind: InferenceService\nmetadata: {name: m, namespace: p}\nspec: 42\n", "isvc.yaml")!;
        var ex = Assert.Throws<TransformRefusedException>(() => IsvcFieldCheck.Check(isvc));
        Assert.Contains("InferenceService p/m: spec is 42, not a mapping", ex.Message, StringComparison.Ordinal);
    }
}
