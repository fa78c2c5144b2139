using System.CommandLine;
using System.Globalization;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Stages.Validate;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>
/// How the stages that act on a cluster run: dry run, parallelism, patience. --concurrency and --timeout mean the
/// same on every stage, but each stage keeps its own default in its options record (Core), so these options have
/// none and the description names the records' values.
/// </summary>
public static class ExecutionOptions
{
    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Change nothing: apply, cleanup and dsc-finalize send every write as a server-side dry run (dryRun=All: admission and webhooks run; dsc-finalize prints the exact diff); rollback only writes rollback-plan.json and its summary; the drop-ins only write the files and print the summary and next steps",
    };

    public static Option<int?> Concurrency() => new Option<int?>("--concurrency")
    {
        Description = $"InferenceServices handled in parallel (default: apply {new ApplyOptions().Concurrency}, validate {new ValidateOptions().Concurrency}, cleanup {new CleanupOptions().Concurrency}; run uses it for apply and cleanup); cleanup always handles those sharing a runtime or another object in turn",
    }.AtLeast(1);

    public static Option<int?> Timeout() => new Option<int?>("--timeout")
    {
        Description = $"Seconds to wait: apply for a deleted original to disappear (in-place; default {Seconds(new ApplyOptions().DeleteTimeout)}), validate for readiness (default {Seconds(new ValidateOptions().Timeout)}), cleanup for each deletion (default {Seconds(new CleanupOptions().Timeout)}), rollback for each deleted replacement (default {Seconds(new RollbackOptions().Timeout)})",
    }.AtLeast(1, " second");

    /// <summary>
    /// run and rehearse: how long validate waits for readiness. Each keeps its own default (a live cluster pulls images and
    /// schedules pods; the rehearsal's simulator makes a replacement ready within a second), so the option has none.
    /// </summary>
    public static Option<int?> ValidateTimeout() => new Option<int?>("--validate-timeout")
    {
        Description = $"Seconds to wait for the replacements to become ready (default: run {Seconds(new ValidateOptions().Timeout)}, rehearse {Seconds(Rehearsal.DefaultValidateTimeout)})",
    }.AtLeast(1, " second");

    /// <summary>The option's value in seconds, or the record's own default when it is not given.</summary>
    public static TimeSpan Seconds(int? value, TimeSpan recordDefault) => value is { } seconds ? TimeSpan.FromSeconds(seconds) : recordDefault;

    private static string Seconds(TimeSpan value) => ((int)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
