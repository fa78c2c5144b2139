using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Apply;

public sealed record ApplyOptions
{
    public const string DefaultFieldManager = Ownership.DefaultFieldManager;

    /// <summary>Send every write with dryRun=All; nothing changes and no ledger is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>The plan.json sha256 the approval gate saw; a different plan is refused (exit 3).</summary>
    public string? ExpectPlanSha256 { get; init; }

    /// <summary>--require-gate: without an approved plan sha256, refuse (exit 3) instead of warning.</summary>
    public bool RequireGate { get; init; }
    public int Concurrency { get; init; } = 4;
    public bool AllowGitOps { get; init; }
    public bool StopOriginal { get; init; }

    /// <summary>--wave K: act only on the items of plan wave K (null: every item).</summary>
    public int? Wave { get; init; }

    /// <summary>--force-wave: apply wave K although an earlier wave that must be cleaned up first is not.</summary>
    public bool ForceWave { get; init; }

    /// <summary>How long to wait for a deleted original to disappear (in-place).</summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The server-side apply field manager; stable, so re-runs own the same fields.</summary>
    public string FieldManager { get; init; } = DefaultFieldManager;

    /// <summary>Retries for each API call (docs/retries.md: per verb, bounded by attempts and a deadline).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>
    /// Retries inside the in-place critical section (after the original is deleted: creating the replacement or
    /// recreating the original), instead of <see cref="Retry"/>, not on top of it. Far more patient: giving up there
    /// leaves the name unserved until the next run.
    /// </summary>
    public RetryPolicy CriticalRetry { get; init; } = RetryPolicy.Patient;

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Concurrency < 1)
        {
            problems.Add($"--concurrency {Concurrency}: must be at least 1");
        }

        // Not "at least 1 second": only the command line counts in whole seconds; callers may wait less.
        if (DeleteTimeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout {(int)DeleteTimeout.TotalSeconds}: must be at least 1 second");
        }

        if (string.IsNullOrWhiteSpace(FieldManager))
        {
            problems.Add("--field-manager: the value is empty or blank");
        }


        if (Wave is < 1)
        {
            problems.Add($"--wave {Wave}: must be at least 1");
        }

        if (ForceWave && Wave is null)
        {
            problems.Add("--force-wave needs --wave K: it only lifts the check that earlier waves were cleaned up");
        }

        return problems;
    }
}
