using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.Manifests;

public sealed class ResourceKindTests
{
    [Fact]
    public void Two_registrations_of_one_kind_are_the_same_key_whatever_array_holds_their_short_names()
    {
        var first = new ResourceKind("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", true, ["isvc"]);
        var second = new ResourceKind("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", true, new List<string> { "isvc" });

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        var byKind = new Dictionary<ResourceKind, int> { [first] = 1 };
        Assert.True(byKind.ContainsKey(second));
    }

    [Fact]
    public void Kinds_that_differ_in_anything_are_different()
    {
        var kind = new ResourceKind("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", true, ["isvc"]);

        Assert.NotEqual(kind, kind with { ShortNames = ["inferenceservice"] });
        Assert.NotEqual(kind, kind with { ShortNames = [] });
        Assert.NotEqual(kind, kind with { Version = "v1alpha1" });
        Assert.NotEqual(kind, kind with { Namespaced = false });
        Assert.False(kind.Equals(null));
    }
}
