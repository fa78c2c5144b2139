using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Rollback;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Workspace;

/// <summary>finalize.json's record of earlier dsc-finalize runs: carried forward, merged for rollback, checked as untrusted input.</summary>
public sealed class FinalizeHistoryTests
{
    private static readonly DateTimeOffset First = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Second = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_no_change_run_carries_the_earlier_changing_run_and_a_later_run_carries_both()
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"));
        var run2 = new FinalizeReport { GeneratedAt = Second, Verdict = "no-change", EarlierRuns = FinalizeHistory.Carried(run1) };
        var dry = new FinalizeReport { GeneratedAt = Second, DryRun = true, Changes = [new FieldChange("DataScienceCluster", "dsc", "x", "a", "b")], EarlierRuns = FinalizeHistory.Carried(run2) };
        var run3 = Report(ws, Second, "finalize-backup-2", ("DataScienceCluster", "dsc", "serving", "Removed")) with { EarlierRuns = FinalizeHistory.Carried(dry) };

        Assert.Null(FinalizeHistory.Carried(new FinalizeReport { Verdict = "no-change" }));
        Assert.Null(FinalizeHistory.Carried(null));
        var carried = Assert.Single(run2.EarlierRuns ?? []);
        Assert.Equal(First, carried.GeneratedAt);
        Assert.Equal(run1.BackupFiles, carried.BackupFiles);
        Assert.Equal(run1.Finalized, carried.Finalized);
        Assert.Single(dry.EarlierRuns ?? []); // a dry run's would-be changes are not a run
        Assert.Equal([First, Second], FinalizeHistory.Runs(run3).Select(r => r.GeneratedAt));
        Assert.Empty(FinalizeHistory.Problems(ws.Layout, run3));
    }

    [Fact]
    public void Rollback_restores_from_the_first_backup_and_compares_with_what_the_latest_changing_run_left()
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"), ("DSCInitialization", "dsci", "serviceMesh", "Removed"));
        var run2 = Report(ws, Second, "finalize-backup-2", ("DataScienceCluster", "dsc", "serving", "Removed")) with { EarlierRuns = FinalizeHistory.Carried(run1) };

        var sources = DscRestoreSources.From(run2);

        Assert.Equal(["DataScienceCluster dsc", "DSCInitialization dsci"], sources.Select(s => $"{s.Kind} {s.Name}"));
        var dsc = sources[0];
        Assert.Equal("_cluster/finalize-backup-1/datasciencecluster-dsc.yaml", dsc.BackupFile);
        Assert.Equal(run1.BackupFiles!.Single(b => b.Path == dsc.BackupFile).Sha256, dsc.BackupSha256);
        Assert.Equal("second", dsc.Left?.Spec?["by"]?.GetValue<string>());
        Assert.Equal(2, dsc.Changes.Count);
        Assert.Equal("first", sources[1].Left?.Spec?["by"]?.GetValue<string>());
        Assert.Equal("_cluster/finalize-backup-1/dscinitialization-dsci.yaml", sources[1].BackupFile);
    }

    [Fact]
    public void A_backup_of_an_earlier_run_altered_since_is_a_problem_naming_the_file()
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"));
        var report = new FinalizeReport { GeneratedAt = Second, EarlierRuns = FinalizeHistory.Carried(run1) };
        File.AppendAllText(Path.Combine(ws.Path, "_cluster", "finalize-backup-1", "datasciencecluster-dsc.yaml"), "# edited\n");

        var problem = Assert.Single(FinalizeHistory.Problems(ws.Layout, report));

        Assert.Contains("_cluster/finalize-backup-1/datasciencecluster-dsc.yaml changed since dsc-finalize wrote it", problem, StringComparison.Ordinal);
        Assert.Contains("2026-12-01", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside/datasciencecluster-dsc.yaml")]
    [InlineData("/etc/datasciencecluster-dsc.yaml")]
    public void A_recorded_backup_path_outside_the_workspace_is_a_problem_and_the_restore_is_refused_naming_it(string outside)
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"));
        var sha = run1.BackupFiles![0].Sha256;
        var report = new FinalizeReport { GeneratedAt = Second, EarlierRuns = [new FinalizeRun { GeneratedAt = First, Changes = run1.Changes, Backups = [outside], BackupFiles = [new BackupRecord(outside, sha)], Finalized = run1.Finalized }] };

        var problems = FinalizeHistory.Problems(ws.Layout, report);
        var source = Assert.Single(DscRestoreSources.From(report));
        var refusal = Assert.Throws<ItemFailedException>(() => DscRestoreCheck.VerifiedBackup(ws.Layout, source));

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains(outside, p, StringComparison.Ordinal));
        Assert.Contains(outside, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_finalize_json_with_empty_entries_is_refused_naming_the_file_not_a_crash()
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"));
        await WorkspaceDocuments.WriteAsync(ws.Layout.Finalize, new FinalizeReport { GeneratedAt = Second, EarlierRuns = FinalizeHistory.Carried(run1) }, FinalizeReportJsonContext.Default.FinalizeReport, TestContext.Current.CancellationToken);
        var json = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(ws.Layout.Finalize, TestContext.Current.CancellationToken))!;
        ((JsonArray)json["earlierRuns"]!).Add(null);
        ((JsonArray)json["earlierRuns"]![0]!["backupFiles"]!).Add(null);
        ((JsonArray)json["earlierRuns"]![0]!["changes"]!).Add(null);
        await File.WriteAllTextAsync(ws.Layout.Finalize, json.ToJsonString(), TestContext.Current.CancellationToken);

        var refusal = await Assert.ThrowsAsync<PreconditionException>(() => FinalizeHistory.ReadCarriedAsync(ws.Layout, TestContext.Current.CancellationToken));
        var (report, _) = await WorkspaceDocuments.ReadAsync(ws.Layout, ws.Layout.Finalize, FinalizeReport.DocumentKind, FinalizeReport.CurrentSchemaVersion, FinalizeReportJsonContext.Default.FinalizeReport, TestContext.Current.CancellationToken);
        var sources = DscRestoreSources.From(report);

        Assert.Contains(WorkspaceLayout.FinalizeFile, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("earlierRuns has an empty entry", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("backupFiles has an entry without path or sha256", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("changes missing or with an entry without kind or name", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("_cluster/finalize-backup-1/datasciencecluster-dsc.yaml", Assert.Single(sources).BackupFile);
    }

    [Fact]
    public async Task Intact_earlier_runs_are_read_back_to_carry_forward()
    {
        using var ws = new TempWorkspace();
        var run1 = Report(ws, First, "finalize-backup-1", ("DataScienceCluster", "dsc", "serving", "Removed"));
        await WorkspaceDocuments.WriteAsync(ws.Layout.Finalize, run1, FinalizeReportJsonContext.Default.FinalizeReport, TestContext.Current.CancellationToken);

        var carried = await FinalizeHistory.ReadCarriedAsync(ws.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(run1.BackupFiles, Assert.Single(carried ?? []).BackupFiles);
        using var empty = new TempWorkspace();
        Assert.Null(await FinalizeHistory.ReadCarriedAsync(empty.Layout, TestContext.Current.CancellationToken));
    }

    /// <summary>A real run's finalize.json: each object changed, backed up under <paramref name="folder"/> with its sha256, and the spec it left.</summary>
    private static FinalizeReport Report(TempWorkspace ws, DateTimeOffset at, string folder, params (string Kind, string Name, string Field, string To)[] changed)
    {
        var backups = new List<BackupRecord>();
        foreach (var (kind, name, _, _) in changed)
        {
            var relative = $"_cluster/{folder}/{kind.ToLowerInvariant()}-{name}.yaml";
            var text = $"apiVersion: v1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec: {{at: '{at:O}'}}\n";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(ws.Path, relative))!);
            File.WriteAllText(Path.Combine(ws.Path, relative), text);
            backups.Add(new BackupRecord(relative, Hashing.Sha256Hex(text)));
        }

        var by = at == First ? "first" : "second";
        return new FinalizeReport
        {
            GeneratedAt = at,
            Verdict = "done",
            Changes = [.. changed.Select(c => new FieldChange(c.Kind, c.Name, c.Field, "Managed", c.To))],
            Backups = [.. backups.Select(b => b.Path)],
            BackupFiles = backups,
            Finalized = [.. changed.Select(c => new FinalizedObject(c.Kind, c.Name, new JsonObject { ["by"] = by }))],
        };
    }
}
