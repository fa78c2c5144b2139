namespace OdhMigration.Core.Manifests;

/// <summary>
/// Bounds every YAML and JSON reader enforces, so a hostile or broken file is refused with a message instead of
/// exhausting memory or the stack (docs/hostile-input.md). Real objects are far inside them: the deepest upstream
/// CRD (KServe's InferenceService) nests 34 levels and the longest scalar in the upstream fixtures is 28 KB, while
/// the API server stores no object over 1.5 MiB.
/// </summary>
public static class YamlLimits
{
    /// <summary>
    /// Nesting of mappings and sequences. 64 is also the depth System.Text.Json reads by default, which the offline
    /// cluster relies on when it parses the compact copies it keeps: anything accepted here can be read back there.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Characters in one scalar (a string, a key, a number); the API server stores no object over 1.5 MiB.</summary>
    public const int MaxScalarLength = 4 * 1024 * 1024;

    /// <summary>
    /// Characters the scanner may read between two parser events: the longest scalar as source text (a
    /// double-quoted one may spell each character as a six-character escape) plus slack for the lines around it.
    /// Stops a giant scalar while it is read, before it is built in memory (give or take the 1 KB the scanner reads
    /// ahead).
    /// </summary>
    public const long MaxCharactersPerToken = (6L * MaxScalarLength) + (1024 * 1024);

    /// <summary>Documents in one file; a 10,000-ISVC snapshot with everything around it holds well under 100,000.</summary>
    public const int MaxDocumentsPerFile = 1_000_000;

    /// <summary>
    /// Nodes one file may produce by expanding aliases (<c>*name</c>). Kubernetes clients never write aliases; the
    /// bound stops a "billion laughs" file, whose few lines expand to billions of nodes.
    /// </summary>
    public const long MaxAliasExpansion = 1_000_000;
}
