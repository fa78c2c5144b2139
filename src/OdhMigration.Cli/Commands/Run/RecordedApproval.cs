using System.Globalization;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Commands.Run;

/// <summary>
/// Whether a resumed run may pass a gate on the strength of approvals.json. The file is plain JSON anyone can write,
/// so it is never taken on its word: the recorded sha256 must be the document's current sha256 (a different one is
/// a refusal naming both), and a plan approval must be borne out by the apply ledger, which apply opens with the
/// sha256 of the plan it carries out and which only exists once the gate was passed. Anything less asks again.
/// </summary>
public static class RecordedApproval
{
    /// <summary>The approval to reuse, or null to ask again (with <paramref name="askAgainBecause"/> saying why).</summary>
    /// <param name="ledgerPlanSha256">ledger.json's planSha256, or null when apply never started.</param>
    /// <exception cref="PreconditionException">The record is malformed or approves another version of the document.</exception>
    public static Approval? ForResume(Approvals approvals, string gate, string document, string currentSha256, string? ledgerPlanSha256, out string? askAgainBecause)
    {
        askAgainBecause = null;
        var recorded = approvals.Items.Where(a => a.Gate == gate).ToList();
        if (recorded.Count == 0)
        {
            return null;
        }

        foreach (var approval in recorded)
        {
            if (approval.Document != document || !ApprovedSha256.IsSha256(approval.Sha256))
            {
                throw new PreconditionException($"approvals.json: the '{gate}' approval names document '{approval.Document}' with sha256 '{approval.Sha256}', which is not a record odh-migrate writes (expected {document} and a 64-digit sha256); it is not trusted; nothing was done (delete approvals.json to be asked again)");
            }
        }

        var latest = recorded[^1];
        if (!string.Equals(latest.Sha256, currentSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new PreconditionException($"{document} changed since it was approved: sha256 {currentSha256} now, approvals.json recorded {latest.Sha256} (approved {Stamp(latest.ApprovedAt)}{By(latest)}); nothing was done (start over in a fresh --workspace to plan and approve again)");
        }

        if (ledgerPlanSha256 is null)
        {
            askAgainBecause = $"approvals.json records an approval of {document} sha256 {currentSha256}, but no apply ledger bears it out; asking again";
            return null;
        }

        if (!string.Equals(ledgerPlanSha256, currentSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new PreconditionException($"approvals.json records {document} sha256 {currentSha256}, but ledger.json shows apply ran from plan sha256 {ledgerPlanSha256}: the approval record does not match what was applied and is not trusted; nothing was done");
        }

        return latest;
    }

    /// <summary>Who runs this process, for the record: the login name from the environment (USER, then the OS).</summary>
    public static string CurrentUser()
    {
        var user = Environment.GetEnvironmentVariable("USER");
        if (string.IsNullOrWhiteSpace(user))
        {
            user = Environment.UserName;
        }

        return string.IsNullOrWhiteSpace(user) ? "unknown" : user.Trim();
    }


    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string By(Approval approval) => approval.User is { Length: > 0 } user ? $" by {user}, {approval.ApprovedBy}" : $", {approval.ApprovedBy}";
}
