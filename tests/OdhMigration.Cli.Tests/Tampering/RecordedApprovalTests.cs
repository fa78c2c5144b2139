using OdhMigration.Cli.Commands.Run;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Tests.Tampering;

/// <summary>approvals.json is a record anyone can write: a resumed run reuses a plan approval only when plan.json and the ledger bear it out.</summary>
public sealed class RecordedApprovalTests
{
    private static readonly string Current = new('a', 64);
    private static readonly string Other = new('b', 64);

    private static Approvals With(params Approval[] items) => new() { Items = [.. items] };

    private static Approval Plan(string sha, string document = "plan.json") => new("plan", document, sha, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "typed") { User = "alice" };

    [Fact]
    public void A_matching_approval_that_the_ledger_bears_out_is_reused()
    {
        var reused = RecordedApproval.ForResume(With(Plan(Current)), "plan", "plan.json", Current, Current, out var askAgain);

        Assert.NotNull(reused);
        Assert.Null(askAgain);
    }

    [Fact]
    public void An_approval_of_another_plan_is_refused_naming_the_document_and_both_hashes()
    {
        var refused = Assert.Throws<PreconditionException>(() => RecordedApproval.ForResume(With(Plan(Other)), "plan", "plan.json", Current, Other, out _));

        Assert.Contains("plan.json changed since it was approved", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Current, refused.Message, StringComparison.Ordinal);
        Assert.Contains(Other, refused.Message, StringComparison.Ordinal);
        Assert.Contains("alice", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void A_hand_written_record_without_a_real_sha256_is_refused(string sha)
    {
        var refused = Assert.Throws<PreconditionException>(() => RecordedApproval.ForResume(With(Plan(sha)), "plan", "plan.json", Current, Current, out _));

        Assert.Contains("not a record odh-migrate writes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_approving_some_other_document_for_the_plan_gate_is_refused()
    {
        Assert.Throws<PreconditionException>(() => RecordedApproval.ForResume(With(Plan(Current, "validation.json")), "plan", "plan.json", Current, Current, out _));
    }

    [Fact]
    public void A_hand_written_record_with_the_right_hash_but_no_ledger_is_not_enough_and_asks_again()
    {
        var reused = RecordedApproval.ForResume(With(Plan(Current)), "plan", "plan.json", Current, null, out var askAgain);

        Assert.Null(reused);
        Assert.Contains("no apply ledger bears it out", askAgain, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_disagrees_with_the_plan_the_ledger_applied_is_refused()
    {
        var refused = Assert.Throws<PreconditionException>(() => RecordedApproval.ForResume(With(Plan(Current)), "plan", "plan.json", Current, Other, out _));

        Assert.Contains("ledger.json shows apply ran from plan sha256 " + Other, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_record_counts_an_earlier_matching_one_does_not_cover_a_later_change()
    {
        Assert.Throws<PreconditionException>(() => RecordedApproval.ForResume(With(Plan(Current), Plan(Other)), "plan", "plan.json", Current, Current, out _));
    }

    [Fact]
    public void No_record_asks_as_usual()
    {
        Assert.Null(RecordedApproval.ForResume(new Approvals(), "plan", "plan.json", Current, Current, out var askAgain));
        Assert.Null(askAgain);
    }
}
