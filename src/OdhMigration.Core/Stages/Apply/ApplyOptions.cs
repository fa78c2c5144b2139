using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.Apply;

public sealed record ApplyOptions
{
    public const string DefaultFieldManager = "odh-migration";

    /// <summary>Send every write with dryRun=All; nothing changes and no ledger is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>The plan.json sha256 the approval gate saw; a different plan is refused (exit 3).</summary>
    public string? ExpectPlanSha256 { get; init; }
    public int Concurrency { get; init; } = 4;
    public bool AllowGitOps { get; init; }
    public bool StopOriginal { get; init; }

    /// <summary>How long to wait for a deleted original to disappear (in-place).</summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The server-side apply field manager; stable, so re-runs own the same fields.</summary>
    public string FieldManager { get; init; } = DefaultFieldManager;

    /// <summary>Retries for each API call (429 with Retry-After, 5xx, dropped connections, timeouts).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
