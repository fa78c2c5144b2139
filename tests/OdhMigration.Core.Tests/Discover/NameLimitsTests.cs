using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;

namespace OdhMigration.Core.Tests.Discover;

public sealed class NameLimitsTests
{
    [Theory]
    [InlineData("fraud", null)]
    [InlineData("ovms-1.x", "contains '.'")]
    [InlineData("Fraud", "contains 'F'")]
    [InlineData("-fraud", "must start and end with a letter or digit")]
    [InlineData("", "is empty")]
    public void Labels_name_the_rule_they_break(string name, string? problem) =>
        AssertProblem(problem, NameLimits.LabelProblem(name));

    [Fact]
    public void Labels_over_63_characters_say_how_long_they_are() =>
        Assert.Equal("has 64 characters, over the 63-character limit", NameLimits.LabelProblem(new string('a', 64)));

    [Theory]
    [InlineData("ovms-1.x-raw", 63, null)]
    [InlineData("default-name-fffffffffffffffffffffffffffffffffffffffffffffffff-raw-sa", 253, null)]
    [InlineData("ovms..x", 63, "empty part between dots")]
    [InlineData("ovms_1", 63, "contains '_'")]
    [InlineData("ovms-1.x-", 63, "must start and end")]
    public void Subdomains_allow_dots_and_their_own_length(string name, int max, string? problem) =>
        AssertProblem(problem, NameLimits.SubdomainProblem(name, max));

    [Fact]
    public void A_runtime_name_is_kept_within_63_characters_for_kserve_label_values() =>
        Assert.Contains("over the 63-character limit", NameLimits.SubdomainProblem(new string('r', 60) + ".raw", NameLimits.MaxLabel), StringComparison.Ordinal);

    /// <summary>No problem expected: none reported; else the reported one says what was expected.</summary>
    private static void AssertProblem(string? expected, string? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(expected, actual, StringComparison.Ordinal);
        }
    }
}
