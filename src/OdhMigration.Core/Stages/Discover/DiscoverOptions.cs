namespace OdhMigration.Core.Stages.Discover;

public sealed record DiscoverOptions
{
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public bool AllNamespaces { get; init; }

    /// <summary>serverless, modelmesh or all.</summary>
    public string Mode { get; init; } = "all";
    public IReadOnlyList<string> Select { get; init; } = [];
    public string? Selector { get; init; }
    public IReadOnlyList<string> Exclude { get; init; } = [];
}
