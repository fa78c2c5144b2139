using OdhMigration.Core.Cluster;

namespace OdhMigration.Core.Stages.Validate;

public sealed record ValidateOptions
{
    /// <summary>Overall bound for waiting on readiness (all ISVCs wait in parallel against one deadline).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Inference request body (v1 or v2 JSON) to send to each new endpoint; null skips the smoke test.</summary>
    public string? RequestFile { get; init; }
    public bool CompareOriginal { get; init; }

    /// <summary>Absolute tolerance for numeric outputs when comparing with the original.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Accept the endpoint's TLS certificate without verification (self-signed lab clusters; like curl -k).</summary>
    public bool InsecureSkipTlsVerify { get; init; }
    public int Concurrency { get; init; } = 8;

    /// <summary>--wave K: act only on the items of plan wave K (null: every item).</summary>
    public int? Wave { get; init; }

    /// <summary>Pause before re-reading when a watch ends without an answer.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        // Not "at least 1 second": only the command line counts in whole seconds; callers may wait less.
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout {(int)Timeout.TotalSeconds}: must be at least 1 second");
        }

        if (!double.IsFinite(Tolerance) || Tolerance < 0)
        {
            problems.Add($"--tolerance {Tolerance.ToString(System.Globalization.CultureInfo.InvariantCulture)}: must be a finite number of at least 0");
        }

        if (Concurrency < 1)
        {
            problems.Add($"--concurrency {Concurrency}: must be at least 1");
        }

        if (CompareOriginal && RequestFile is null)
        {
            problems.Add("--compare-original needs --request <file>");
        }


        if (Wave is < 1)
        {
            problems.Add($"--wave {Wave}: must be at least 1");
        }

        return problems;
    }
}
