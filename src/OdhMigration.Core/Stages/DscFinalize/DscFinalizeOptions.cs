using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.DscFinalize;

public sealed record DscFinalizeOptions
{
    public bool DryRun { get; init; }

    /// <summary>The DataScienceCluster to edit when there are several.</summary>
    public string? DscName { get; init; }
    public bool UninstallOperators { get; init; }
    public bool HardwareProfileIgnorelist { get; init; }

    /// <summary>Retries for each API call (docs/retries.md).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
