using OdhMigration.Core.Cluster;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Validate;

namespace OdhMigration.Core.Tests.Support;

/// <summary>
/// The one set of short timings the engine tests run with against the in-memory cluster: no retry back-off, polls of
/// a few milliseconds, and timeouts short enough that a test meant to time out does so quickly. A test that needs
/// another value derives it with `with`, so the difference is visible where it matters.
/// </summary>
public static class FastOptions
{
    public static ApplyOptions Apply => new() { Retry = RetryPolicy.Immediate(), PollInterval = TimeSpan.FromMilliseconds(5), DeleteTimeout = TimeSpan.FromSeconds(2) };

    public static ValidateOptions Validate => new() { Timeout = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(10), Retry = RetryPolicy.Immediate() };

    /// <summary>Validate as a step before cleanup: everything is Ready already, so one second is plenty.</summary>
    public static ValidateOptions ValidateBeforeCleanup => Validate with { Timeout = TimeSpan.FromSeconds(1) };

    public static CleanupOptions Cleanup => new() { Retry = RetryPolicy.Immediate(), PollInterval = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMilliseconds(300) };
}
