using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>
/// Lets a person narrow the selection by hand: receives the items the filters selected and returns the indexes (into
/// that list) to keep, or null when the person cancelled.
/// </summary>
public delegate Task<IReadOnlyCollection<int>?> SelectionPicker(IReadOnlyList<InventoryItem> candidates, CancellationToken cancellationToken);

public sealed record DiscoverOptions
{
    /// <summary>The values --mode accepts.</summary>
    public static readonly string[] Modes = ["serverless", "modelmesh", "all"];

    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public bool AllNamespaces { get; init; }

    /// <summary>serverless, modelmesh or all.</summary>
    public string Mode { get; init; } = "all";

    /// <summary>ISVC names, or namespace/name to pick one in a given namespace.</summary>
    public IReadOnlyList<string> Select { get; init; } = [];
    public string? Selector { get; init; }

    /// <summary>ISVC names, or namespace/name.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Interactive selection (the command line sets it when --interactive is given on a terminal).</summary>
    public SelectionPicker? Picker { get; init; }

    /// <summary>Skip the SelfSubjectAccessReview pre-flight on a live cluster.</summary>
    public bool SkipPreflight { get; init; }

    /// <summary>Retries for each API call (docs/retries.md); a snapshot is read without.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (AllNamespaces && Namespaces.Count > 0)
        {
            problems.Add("--namespace and --all-namespaces cannot be combined");
        }

        if (!AllNamespaces && Namespaces.Count == 0)
        {
            problems.Add("give --namespace <ns> (repeatable) or --all-namespaces");
        }

        if (!Modes.Contains(Mode))
        {
            problems.Add($"--mode '{Mode}': expected serverless, modelmesh or all");
        }

        problems.AddRange(Namespaces.Select(NamespaceProblem).OfType<string>());
        try
        {
            LabelSelector.Parse(Selector);
        }
        catch (FormatException ex)
        {
            problems.Add($"--selector: {ex.Message}");
        }

        return problems;
    }

    /// <summary>The one check of a --namespace value: a DNS-1123 label.</summary>
    public static string? NamespaceProblem(string ns) =>
        NameLimits.IsDns1123Label(ns) ? null : $"--namespace '{ns}': not a valid namespace name (DNS-1123 label)";
}
