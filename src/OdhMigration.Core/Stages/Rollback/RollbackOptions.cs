using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.Rollback;

public sealed record RollbackOptions
{
    public const string ExpectOption = "--expect-rollback-sha256";
    public const string ForceDscRestoreOption = "--force-dsc-restore";

    /// <summary>The field manager rollback writes with: it tells the originals it recreated from anything else.</summary>
    public const string DefaultFieldManager = "odh-migration-rollback";

    /// <summary>Write rollback-plan.json and its summary only; the cluster is read, never changed.</summary>
    public bool DryRun { get; init; }

    /// <summary>The rollback-plan.json sha256 the approval gate saw; a different plan is refused (exit 3).</summary>
    public string? ExpectRollbackSha256 { get; init; }

    /// <summary>--require-gate: without an approved rollback sha256, refuse (exit 3) instead of warning.</summary>
    public bool RequireGate { get; init; }

    /// <summary>
    /// Restore a DSC/DSCI from dsc-finalize's backup even where its spec changed since dsc-finalize left it (reverting
    /// that change too); without it such a restore is refused. Part of the plan, so the approval covers it.
    /// </summary>
    public bool ForceDscRestore { get; init; }

    /// <summary>How long to wait for each deleted replacement to disappear.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public string FieldManager { get; init; } = DefaultFieldManager;

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        // Not "at least 1 second": only the command line counts in whole seconds; callers may wait less.
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout {(int)Timeout.TotalSeconds}: must be at least 1 second");
        }

        if (string.IsNullOrWhiteSpace(FieldManager))
        {
            problems.Add("--field-manager: the value is empty or blank");
        }

        return problems;
    }
}
