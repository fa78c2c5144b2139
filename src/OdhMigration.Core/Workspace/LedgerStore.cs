using System.Text;
using System.Text.Json;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Workspace;

/// <summary>
/// The ledger of one apply run, safe to use from parallel workers. Every step event is appended to a journal
/// (ledger.journal.jsonl, one JSON line, flushed before the action it announces) and folded into ledger.json
/// every few hundred events and at the end. Reading replays the journal over ledger.json, so a run killed at any
/// point leaves a complete record: that is what lets the next run finish or roll back.
/// </summary>
public sealed class LedgerStore : IAsyncDisposable
{
    public const string JournalFileName = "ledger.journal.jsonl";
    private const int CompactEvery = 500;
    private const string ItemStateAction = "item-state";

    private readonly Lock _lock = new();
    private readonly Ledger _ledger;
    private readonly string? _ledgerPath;
    private readonly string? _journalPath;
    private readonly TimeProvider _clock;
    private FileStream? _journal;
    private int _sinceCompaction;

    private LedgerStore(Ledger ledger, string? ledgerPath, TimeProvider clock)
    {
        _ledger = ledger;
        _ledgerPath = ledgerPath;
        _journalPath = ledgerPath is null ? null : JournalPath(ledgerPath);
        _clock = clock;
    }

    public static string JournalPath(string ledgerPath) => Path.Combine(Path.GetDirectoryName(ledgerPath)!, JournalFileName);

    /// <summary>An in-memory ledger that never touches disk (dry runs).</summary>
    public static LedgerStore InMemory(string planSha256, string fieldManager, TimeProvider? clock = null) =>
        new(new Ledger { PlanSha256 = planSha256, FieldManager = fieldManager }, null, clock ?? TimeProvider.System);

    /// <summary>Records which documents this run consumed; written with the next flush.</summary>
    public void RecordConsumed(IEnumerable<ConsumedDocument> consumed)
    {
        lock (_lock)
        {
            _ledger.Consumed = consumed.ToList();
        }
    }

    /// <summary>Opens the workspace ledger: ledger.json (when present) with the journal replayed over it.</summary>
    public static async Task<LedgerStore> OpenAsync(WorkspaceLayout layout, string planSha256, string fieldManager, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var ledger = await LoadAsync(layout, cancellationToken).ConfigureAwait(false) ?? new Ledger();
        ledger.PlanSha256 = planSha256;
        ledger.FieldManager = fieldManager;
        var store = new LedgerStore(ledger, layout.Ledger, clock ?? TimeProvider.System);
        await store.FlushAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Reads ledger.json and replays the journal; null when neither exists.</summary>
    public static async Task<Ledger?> LoadAsync(WorkspaceLayout layout, CancellationToken cancellationToken = default)
    {
        Ledger? ledger = null;
        if (File.Exists(layout.Ledger))
        {
            (ledger, _) = await WorkspaceDocuments.ReadAsync(layout, layout.Ledger, Ledger.DocumentKind, Ledger.CurrentSchemaVersion, LedgerJsonContext.Default.Ledger, cancellationToken).ConfigureAwait(false);
        }

        var journal = JournalPath(layout.Ledger);
        if (!File.Exists(journal))
        {
            return ledger;
        }

        ledger ??= new Ledger();
        foreach (var line in await File.ReadAllLinesAsync(journal, cancellationToken).ConfigureAwait(false))
        {
            LedgerJournalEntry? entry;
            try
            {
                entry = line.Length == 0 ? null : JsonSerializer.Deserialize(line, LedgerJournalJsonContext.Default.LedgerJournalEntry);
            }
            catch (JsonException)
            {
                continue; // a line torn by a kill mid-write: the step it announced never started
            }

            if (entry is not null && entry.Sequence > ledger.LastJournalSeq)
            {
                Fold(ledger, entry);
            }
        }

        return ledger;
    }

    /// <summary>A snapshot copy, safe to read while workers go on.</summary>
    public Ledger Snapshot()
    {
        lock (_lock)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(_ledger, LedgerJsonContext.Default.Ledger);
            return JsonSerializer.Deserialize(json, LedgerJsonContext.Default.Ledger)!;
        }
    }

    /// <summary>The ledger item of an ISVC (created on first use). Namespace-level steps use an empty name.</summary>
    public LedgerItem Item(string ns, string name)
    {
        lock (_lock)
        {
            var item = _ledger.Items.FirstOrDefault(i => i.Namespace == ns && i.Name == name);
            if (item is null)
            {
                item = new LedgerItem { Namespace = ns, Name = name };
                _ledger.Items.Add(item);
            }

            return item;
        }
    }

    /// <summary>Copies of the steps recorded for an item (read without racing the writers).</summary>
    public IReadOnlyList<LedgerStep> Steps(LedgerItem item)
    {
        lock (_lock)
        {
            return item.Steps.Select(s => s with { }).ToList();
        }
    }

    /// <summary>True when a completed step of any item wrote this very object (same uid).</summary>
    public bool WroteObject(string kind, string? ns, string name, string? liveUid)
    {
        lock (_lock)
        {
            return _ledger.Items.SelectMany(i => i.Steps).Any(s =>
                s.Action is LedgerActions.Create or LedgerActions.Apply or LedgerActions.CopySecret
                && s.Kind == kind && s.Namespace == ns && s.Name == name
                && s.State == LedgerStepStates.Done
                && liveUid is not null && s.Uid == liveUid);
        }
    }

    /// <summary>Records that a step is about to happen; the journal line is on disk before this returns.</summary>
    public async Task<LedgerStep> IntentAsync(LedgerItem item, string action, string kind, string? apiVersion, string? ns, string name, string? detail = null, Dictionary<string, string?>? previousLabels = null, CancellationToken cancellationToken = default)
    {
        LedgerStep step;
        lock (_lock)
        {
            step = new LedgerStep
            {
                Seq = ++_ledger.LastSeq,
                Action = action,
                Kind = kind,
                ApiVersion = apiVersion,
                Namespace = ns,
                Name = name,
                Detail = detail,
                PreviousLabels = previousLabels,
                At = _clock.GetUtcNow(),
            };
            item.Steps.Add(step);
            Append(item, step);
        }

        await CompactIfDueAsync(cancellationToken).ConfigureAwait(false);
        return step;
    }

    public Task CompleteAsync(LedgerItem item, LedgerStep step, string state, string? uid = null, string? resourceVersion = null, string? error = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            step.State = state;
            step.Uid = uid ?? step.Uid;
            step.ResourceVersion = resourceVersion ?? step.ResourceVersion;
            step.Error = error;
            step.At = _clock.GetUtcNow();
            Append(item, step);
        }

        return CompactIfDueAsync(cancellationToken);
    }

    /// <summary>Changes an item's state and uids; journaled like a step.</summary>
    public Task UpdateItemAsync(LedgerItem item, Action<LedgerItem> change, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            change(item);
            var marker = new LedgerStep { Seq = ++_ledger.LastSeq, Action = ItemStateAction, Kind = "InferenceService", Namespace = item.Namespace, Name = item.Name, State = item.State, At = _clock.GetUtcNow(), Detail = item.Error };
            Append(item, marker);
        }

        return CompactIfDueAsync(cancellationToken);
    }

    /// <summary>Folds everything into ledger.json (atomic) and empties the journal; returns the ledger.json sha256.</summary>
    public Task<string?> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_ledgerPath is null)
        {
            return Task.FromResult<string?>(null);
        }

        byte[] bytes;
        lock (_lock)
        {
            _ledger.UpdatedAt = _clock.GetUtcNow();
            bytes = JsonSerializer.SerializeToUtf8Bytes(_ledger, LedgerJsonContext.Default.Ledger);
            _sinceCompaction = 0;

            // The file is renamed into place before the journal is emptied: a kill in between only replays
            // lines whose Seq is already folded in, and those are skipped.
            var temp = _ledgerPath + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, _ledgerPath, overwrite: true);
            _journal?.Dispose();
            _journal = new FileStream(_journalPath!, FileMode.Create, FileAccess.Write, FileShare.Read);
        }

        return Task.FromResult<string?>(Hashing.Sha256Hex(bytes));
    }

    public async ValueTask DisposeAsync()
    {
        bool pending;
        lock (_lock)
        {
            pending = _sinceCompaction > 0;
        }

        if (pending)
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _journal?.Dispose();
            _journal = null;
            if (_journalPath is not null && File.Exists(_journalPath) && new FileInfo(_journalPath).Length == 0)
            {
                File.Delete(_journalPath);
            }
        }
    }

    private static void Fold(Ledger ledger, LedgerJournalEntry entry)
    {
        var item = ledger.Items.FirstOrDefault(i => i.Namespace == entry.Namespace && i.Name == entry.Name);
        if (item is null)
        {
            item = new LedgerItem { Namespace = entry.Namespace, Name = entry.Name };
            ledger.Items.Add(item);
        }

        item.State = entry.ItemState ?? item.State;
        item.Error = entry.ItemError;
        if (entry.Step.Action != ItemStateAction)
        {
            var index = item.Steps.FindIndex(s => s.Seq == entry.Step.Seq);
            if (index >= 0)
            {
                item.Steps[index] = entry.Step;
            }
            else
            {
                item.Steps.Add(entry.Step);
            }
        }

        item.OriginalUid = entry.OriginalUid ?? item.OriginalUid;
        item.ReplacementUid = entry.ReplacementUid ?? item.ReplacementUid;
        ledger.LastSeq = Math.Max(ledger.LastSeq, entry.Step.Seq);
        ledger.LastJournalSeq = entry.Sequence;
    }

    private void Append(LedgerItem item, LedgerStep step)
    {
        if (_journal is null)
        {
            return;
        }

        var entry = new LedgerJournalEntry(++_ledger.LastJournalSeq, item.Namespace, item.Name, step with { }, item.State, item.Error, item.OriginalUid, item.ReplacementUid);
        var line = JsonSerializer.Serialize(entry, LedgerJournalJsonContext.Default.LedgerJournalEntry);
        _journal.Write(Encoding.UTF8.GetBytes(line + "\n"));

        // Flush to the operating system (survives a killed process); fsync per step would cost a disk sync each.
        _journal.Flush();
        _sinceCompaction++;
    }

    private Task CompactIfDueAsync(CancellationToken cancellationToken)
    {
        bool due;
        lock (_lock)
        {
            due = _sinceCompaction >= CompactEvery;
        }

        return due ? FlushAsync(cancellationToken) : Task.CompletedTask;
    }
}
