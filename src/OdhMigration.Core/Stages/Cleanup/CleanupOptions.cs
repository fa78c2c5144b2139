using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.Cleanup;

public sealed record CleanupOptions
{
    /// <summary>Send deletions with dryRun=All: nothing is removed.</summary>
    public bool DryRun { get; init; }

    /// <summary>The validation.json sha256 the approval gate saw; a different one is refused (exit 3).</summary>
    public string? ExpectValidationSha256 { get; init; }

    /// <summary>--require-gate: without an approved validation sha256, refuse (exit 3) instead of warning.</summary>
    public bool RequireGate { get; init; }

    /// <summary>How long to wait for each deletion to finish.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>InferenceServices cleaned in parallel; items sharing an object or a runtime are always handled in turn.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>--wave K: act only on the items of plan wave K (null: every item).</summary>
    public int? Wave { get; init; }

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        // Not "at least 1 second": only the command line counts in whole seconds; callers may wait less.
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout {(int)Timeout.TotalSeconds}: must be at least 1 second");
        }

        if (Concurrency < 1)
        {
            problems.Add($"--concurrency {Concurrency}: must be at least 1");
        }


        if (Wave is < 1)
        {
            problems.Add($"--wave {Wave}: must be at least 1");
        }

        return problems;
    }
}
