using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Tests.Manifests;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "gold", ["team"] = "a" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (gold,silver)", true)]
    [InlineData("tier in (silver)", false)]
    [InlineData("tier notin (silver)", true)]
    [InlineData("team", true)]
    [InlineData("!team", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier in (gold, silver),!missing", true)]
    [InlineData("app=web,team=b", false)]
    public void Matches_like_kubernetes(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("a in x")]
    [InlineData("a,,b")]
    [InlineData("=b")]
    public void Malformed_selectors_are_refused(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));
}
