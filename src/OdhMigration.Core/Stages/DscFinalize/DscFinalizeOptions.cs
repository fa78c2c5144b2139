using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.DscFinalize;

public sealed record DscFinalizeOptions
{
    public bool DryRun { get; init; }

    /// <summary>The DataScienceCluster to edit when there are several.</summary>
    public string? DscName { get; init; }
    public bool UninstallOperators { get; init; }
    public bool HardwareProfileIgnorelist { get; init; }

    /// <summary>The finalize-plan.json sha256 the approvers saw in the dry run; a different plan is refused (exit 3).</summary>
    public string? ExpectFinalizePlanSha256 { get; init; }

    /// <summary>--require-gate: without an approved finalize plan sha256, refuse (exit 3) instead of warning.</summary>
    public bool RequireGate { get; init; }

    /// <summary>Retries for each API call (docs/retries.md).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
