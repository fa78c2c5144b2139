namespace OdhMigration.TestSupport;

/// <summary>
/// The one rule every test project uses to find the pinned upstream files (CRDs, fixtures) listed in
/// .ci/shared-pins.txt: the shared folder beside the clone when it exists, so a maintained copy always wins, else the
/// clone's git-ignored .shared-cache/ that the test build fills (tests/Common/UpstreamFiles.targets).
/// </summary>
public static class UpstreamFiles
{
    public const string CacheFolderName = ".shared-cache";

    public const string PinsFile = ".ci/shared-pins.txt";

    /// <summary>What a user runs to fill the cache by hand; the test build runs the same script.</summary>
    public const string FetchCommand = "bash .ci/fetch-shared.sh --cache";

    // Resolved once per test process: the answer (or the one exception, rethrown to every test that asks) cannot
    // change while the tests run.
    private static readonly Lazy<string> Resolved = new(() => Resolve(FindRepoRoot()));

    /// <summary>The folder holding the upstream files; throws <see cref="UpstreamFilesMissingException"/> when neither place has them.</summary>
    public static string Root => Resolved.Value;

    public static string Resolve(string repoRoot)
    {
        var beside = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared"));
        if (Directory.Exists(beside))
        {
            return beside;
        }

        var cache = Path.Combine(repoRoot, CacheFolderName);
        var pinned = PinnedPaths(Path.Combine(repoRoot, PinsFile));
        var missing = pinned.Where(relative => !File.Exists(Path.Combine(cache, relative))).ToList();
        if (missing.Count == 0)
        {
            return cache;
        }

        throw new UpstreamFilesMissingException(
            $"{missing.Count} of the {pinned.Count} upstream files pinned in {PinsFile} are missing: there is no {beside} "
            + $"and {cache} lacks them (first: {missing[0]}). Fetch them with `{FetchCommand}` (the test build does this "
            + "when it can reach GitHub), or put the shared folder beside the clone.");
    }

    private static List<string> PinnedPaths(string pinsFile) =>
        File.ReadLines(pinsFile)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .ToList();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OdhMigrationTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
