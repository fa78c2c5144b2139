using System.Text.Json.Nodes;
using OdhMigration.Core.Stages.Apply;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Apply;

public sealed class InPlaceDecisionTests
{
    private const string Manager = "odh-migration";

    private static JsonObject Live(string uid, string mode = "Serverless", bool terminating = false, string? manager = null)
    {
        var isvc = Isvc("ns", "m", mode, uid: uid);
        if (terminating)
        {
            isvc["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        }

        if (manager is not null)
        {
            isvc["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = manager });
        }

        return isvc;
    }

    [Fact]
    public void First_run_deletes_the_exported_original() =>
        Assert.Equal(InPlaceStep.DeleteOriginal, InPlaceDecision.Decide(Live("u1"), "u1", null, null, Manager));

    [Fact]
    public void Killed_after_the_delete_was_sent_waits_for_a_terminating_original() =>
        Assert.Equal(InPlaceStep.WaitForOriginalGone, InPlaceDecision.Decide(Live("u1", terminating: true), "u1", "u1", null, Manager));

    [Fact]
    public void Killed_after_the_original_vanished_creates_the_replacement() =>
        Assert.Equal(InPlaceStep.CreateReplacement, InPlaceDecision.Decide(null, "u1", "u1", null, Manager));

    [Fact]
    public void Killed_after_the_replacement_was_recorded_only_finishes() =>
        Assert.Equal(InPlaceStep.AlreadyReplaced, InPlaceDecision.Decide(Live("u2", "RawDeployment"), "u1", "u1", "u2", Manager));

    [Fact]
    public void Killed_before_the_replacement_uid_was_recorded_recognises_our_object() =>
        Assert.Equal(InPlaceStep.AlreadyReplaced, InPlaceDecision.Decide(Live("u2", "RawDeployment", manager: Manager), "u1", "u1", null, Manager));

    [Fact]
    public void Rolled_back_original_is_deleted_again_on_the_next_attempt() =>
        Assert.Equal(InPlaceStep.DeleteOriginal, InPlaceDecision.Decide(Live("u3"), "u1", "u3", null, Manager));

    [Fact]
    public void Someone_elses_object_at_the_name_is_refused() =>
        Assert.Equal(InPlaceStep.Refuse, InPlaceDecision.Decide(Live("u9", "RawDeployment", manager: "argocd"), "u1", null, null, Manager));

    [Fact]
    public void Without_any_recorded_uid_a_live_object_that_is_not_ours_is_the_original() =>
        Assert.Equal(InPlaceStep.DeleteOriginal, InPlaceDecision.Decide(Live("u1"), null, null, null, Manager));
}
