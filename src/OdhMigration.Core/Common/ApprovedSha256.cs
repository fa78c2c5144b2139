namespace OdhMigration.Core.Common;

/// <summary>
/// The one check every gated stage (apply, cleanup, dsc-finalize) makes on its expected-sha256 option before it
/// reads or changes anything, so a gate cannot be stepped around by an empty or mistyped value:
/// <list type="bullet">
/// <item>not given: allowed, with a warning that no approved sha256 binds the run, unless the gate is required
/// (then refused, exit 3), except for a dry run, which changes nothing;</item>
/// <item>given empty or blank: a usage error (exit 2), unless the gate is required, where an empty value is how a
/// Tekton param leaves the option out, so it counts as not given;</item>
/// <item>given but not 64 hex characters: always a usage error (exit 2).</item>
/// </list>
/// </summary>
public static class ApprovedSha256
{
    public const string RequireGateOption = "--require-gate";

    /// <param name="option">The option's name, for the messages (e.g. "--expect-plan-sha256").</param>
    /// <param name="value">The option's value: null when not given, "" when given empty.</param>
    /// <param name="requireGate">--require-gate: a missing value refuses the run.</param>
    /// <param name="dryRun">The run changes nothing, so a required gate may be missing.</param>
    /// <param name="document">What the sha256 is of, for the warning (e.g. "plan.json").</param>
    /// <returns>The sha256 in lower case, or null when none binds the run.</returns>
    public static string? Resolve(string option, string? value, bool requireGate, bool dryRun, string document, IStageLog log)
    {
        var missing = value is null || (requireGate && string.IsNullOrWhiteSpace(value));
        if (missing)
        {
            if (requireGate && !dryRun)
            {
                throw new PreconditionException($"{option} is {(value is null ? "not given" : "empty")} and {RequireGateOption} is on: no approved sha256 of {document} binds this run; nothing was changed (pass the sha256 the approvers saw)");
            }

            log.Warn($"no approved sha256 binds this run: {option} is not given, so {document} is used as it is now{(dryRun ? " (dry run: nothing changes)" : "")}; pass {option} (and {RequireGateOption}) to bind it to what was approved");
            return null;
        }

        if (UsageProblem(option, value, requireGate, document) is { } problem)
        {
            throw new UsageException(problem);
        }

        var trimmed = value!.Trim();
        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// What is wrong with a given value as a usage error, or null: the command line checks this while parsing, so a
    /// bad value is refused before any cluster is contacted, and <see cref="Resolve"/> checks it again for callers
    /// that do not parse a command line.
    /// </summary>
    public static string? UsageProblem(string option, string? value, bool requireGate, string document)
    {
        if (value is null || (requireGate && string.IsNullOrWhiteSpace(value)))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return $"{option} is empty: give the approved sha256 of {document} (64 hex characters) or leave the option out";
        }

        if (!IsSha256(trimmed))
        {
            return $"{option} '{Shorten(trimmed)}' is not a sha256: expected 64 hex characters, got {trimmed.Length} character(s){(trimmed.All(Uri.IsHexDigit) ? "" : " with non-hex ones")}";
        }

        return null;
    }

    /// <summary>The shape of a sha256 as the workspace writes it: 64 hex characters.</summary>
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);

    // A mistyped value is echoed so the operator can see it, but never at length (it could be anything pasted).
    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
