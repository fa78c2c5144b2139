using System.CommandLine;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>
/// The approval gates: the sha256 a gated stage must be bound to (--expect-*-sha256, --require-gate), and the
/// in-advance approvals of the commands that ask on a terminal (--yes, --approve).
/// </summary>
public static class GateOptions
{
    public static Option<bool> RequireGate() => new(ApprovedSha256.RequireGateOption)
    {
        Description = "Refuse (exit 3) unless the approved sha256 is given in this stage's --expect-*-sha256 option (a dry run needs none); without it a missing one is only a warning. The Tekton Tasks always pass it",
    };

    /// <summary>
    /// A gated stage's expected sha256, checked while parsing by the engines' own rule (<see cref="ApprovedSha256"/>):
    /// empty, blank or not 64 hex characters is a usage error, so no cluster is contacted for a run that cannot start.
    /// </summary>
    public static Option<string?> ExpectSha256(Command command, string name, string description, Option<bool> requireGate, string document)
    {
        var expected = new Option<string?>(name) { Description = description };
        command.Validators.Add(result =>
        {
            if (result.GetResult(expected) is null)
            {
                return;
            }

            bool required;
            try
            {
                required = result.GetValue(requireGate);
            }
            catch (InvalidOperationException)
            {
                return; // --require-gate=<not a bool>: the parser names that error itself.
            }

            if (ApprovedSha256.UsageProblem(expected.Name, result.GetValue(expected), required, document) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return expected;
    }

    public static Option<bool> Yes() => new("--yes", "-y")
    {
        Description = "Approve the gates in advance (needed without a terminal): the plan before apply and, where the command cleans up, the validation before cleanup",
    };
}
