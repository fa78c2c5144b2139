namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>One image per tool project, non-root, with the binary where Tekton and the actions call it.</summary>
public sealed class ImageTests
{
    public static TheoryData<string> Tools => [.. Directory.GetDirectories(RepoPaths.Combine("src"), "odh-*").Select(d => Path.GetFileName(d)!).Order()];

    [Theory]
    [MemberData(nameof(Tools))]
    public void Every_tool_has_a_non_root_image_with_oci_labels(string tool)
    {
        var dockerfile = File.ReadAllText(RepoPaths.Combine("images", tool, "Dockerfile"));
        Assert.Contains($"ENTRYPOINT [\"/app/{tool}\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"/{tool}/{tool} /app/{tool}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM ${BASE_IMAGE}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", dockerfile, StringComparison.Ordinal);
        var user = Assert.Single(dockerfile.Split('\n'), l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER 0", user.Trim());
        Assert.NotEqual("USER root", user.Trim());
        foreach (var label in new[] { "title", "description", "version", "revision", "source" })
        {
            Assert.Contains($"org.opencontainers.image.{label}=", dockerfile, StringComparison.Ordinal);
        }
    }
}
