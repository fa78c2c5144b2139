using OdhMigration.TestSupport;

namespace OdhMigration.Core.Tests.Support;

/// <summary>Where the tests find the pinned upstream files, on a made-up clone: ../shared first, else a complete cache.</summary>
public sealed class UpstreamFilesTests : IDisposable
{
    private static readonly string[] Pinned = ["crds/kserve/a.yaml", "fixtures/upstream/b.yaml"];

    private readonly string _parent = Path.Combine(Path.GetTempPath(), "odh-upstream-" + Guid.NewGuid().ToString("N")[..12]);

    public UpstreamFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(Clone, ".ci"));
        File.WriteAllLines(
            Path.Combine(Clone, ".ci", "shared-pins.txt"),
            ["# path repo commit upstream-path sha256", "", .. Pinned.Select(p => $"{p} owner/repo 0123abcd {p} 00ff")]);
    }

    private string Clone => Path.Combine(_parent, "clone");

    private string Cache => Path.Combine(Clone, UpstreamFiles.CacheFolderName);

    [Fact]
    public void SharedBesideTheCloneWinsOverACompleteCache()
    {
        Directory.CreateDirectory(Path.Combine(_parent, "shared"));
        FillCache(Pinned);

        Assert.Equal(Path.Combine(_parent, "shared"), UpstreamFiles.Resolve(Clone));
    }

    [Fact]
    public void WithoutSharedBesideTheCloneACompleteCacheIsUsed()
    {
        FillCache(Pinned);

        Assert.Equal(Cache, UpstreamFiles.Resolve(Clone));
    }

    [Fact]
    public void AnIncompleteCacheGivesOneMessageNamingWhatIsMissingAndTheFetchCommand()
    {
        FillCache(Pinned[1..]);

        var error = Assert.Throws<UpstreamFilesMissingException>(() => UpstreamFiles.Resolve(Clone));

        Assert.Contains("1 of the 2 upstream files", error.Message, StringComparison.Ordinal);
        Assert.Contains("first: crds/kserve/a.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("`bash .ci/fetch-shared.sh --cache`", error.Message, StringComparison.Ordinal);
        // Dozens of tests fail with it: the message is the whole report, no stack trace to repeat under each.
        Assert.Null(error.StackTrace);
    }

    [Fact]
    public void NoCacheAtAllNamesEveryPinnedFileAsMissing()
    {
        var error = Assert.Throws<UpstreamFilesMissingException>(() => UpstreamFiles.Resolve(Clone));

        Assert.Contains("2 of the 2 upstream files", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_parent, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder is harmless
        }
    }

    private void FillCache(IEnumerable<string> relativePaths)
    {
        foreach (var relative in relativePaths)
        {
            var path = Path.Combine(Cache, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "kind: Example\n");
        }
    }
}
