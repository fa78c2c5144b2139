using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Tests.Apply;

public sealed class LedgerStoreTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Steps_are_journaled_before_the_action_and_replayed_after_a_kill()
    {
        var store = await LedgerStore.OpenAsync(_ws.Layout, "sha", "odh-migration");
        var item = store.Item("ns", "m");
        await store.UpdateItemAsync(item, i => { i.State = LedgerItemStates.InProgress; i.OriginalUid = "u1"; });
        var step = await store.IntentAsync(item, LedgerActions.DeleteOriginal, "InferenceService", null, "ns", "m");

        // Killed here: never disposed, ledger.json not rewritten. The journal already holds the intent.
        var replayed = await LedgerStore.LoadAsync(_ws.Layout);
        var replayedItem = Assert.Single(replayed!.Items);
        Assert.Equal(LedgerItemStates.InProgress, replayedItem.State);
        Assert.Equal("u1", replayedItem.OriginalUid);
        Assert.Equal(LedgerStepStates.Intent, Assert.Single(replayedItem.Steps).State);

        await store.CompleteAsync(item, step, LedgerStepStates.Done, "u1", "7");
        var again = await LedgerStore.LoadAsync(_ws.Layout);
        var done = Assert.Single(Assert.Single(again!.Items).Steps);
        Assert.Equal(LedgerStepStates.Done, done.State);
        Assert.Equal("7", done.ResourceVersion);
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_torn_last_journal_line_is_ignored_and_a_reopened_store_continues_the_sequence()
    {
        var store = await LedgerStore.OpenAsync(_ws.Layout, "sha", "odh-migration");
        var item = store.Item("ns", "m");
        await store.IntentAsync(item, LedgerActions.Apply, "ServiceAccount", "v1", "ns", "sa");
        await File.AppendAllTextAsync(LedgerStore.JournalPath(_ws.Layout.Ledger), "{\"namespace\":\"ns\",\"na");

        var reopened = await LedgerStore.OpenAsync(_ws.Layout, "sha", "odh-migration");
        var next = await reopened.IntentAsync(reopened.Item("ns", "m"), LedgerActions.Apply, "Role", "v1", "ns", "r");
        await reopened.DisposeAsync();

        var ledger = await LedgerStore.LoadAsync(_ws.Layout);
        Assert.Equal([1L, 2L], Assert.Single(ledger!.Items).Steps.Select(s => s.Seq));
        Assert.Equal(2, next.Seq);
        Assert.False(File.Exists(LedgerStore.JournalPath(_ws.Layout.Ledger)));
    }
}
