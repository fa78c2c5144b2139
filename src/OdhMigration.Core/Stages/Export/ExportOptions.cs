using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.Export;

public sealed record ExportOptions
{
    /// <summary>Write Secret data to disk (0600 files, with a warning). Off by default: secrets are saved as data-free references.</summary>
    public bool IncludeSecretData { get; init; }

    /// <summary>Namespace holding the runtime Templates (opendatahub for ODH, redhat-ods-applications for RHOAI); null: the applications namespace.</summary>
    public string? TemplateNamespace { get; init; }

    /// <summary>
    /// InferenceServices written at once. Items are independent folders; what they read from the cluster listing
    /// is copied one at a time, only the serialising and file writing overlap.
    /// </summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Retries for each API call (docs/retries.md); a snapshot is read without.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
