using OdhMigration.Core.Reporting;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Reporting;

/// <summary>report.md/report.html show a rollback's outcome: per item what was recreated, deleted, refused, and the DSC/DSCI restore.</summary>
public sealed class RollbackReportSectionTests : IDisposable
{
    private const string Password = "Pa55w0rdXYZ";
    private readonly PlanWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static RollbackStepOutcome Step(string id, string action, string kind, string name, string outcome, string? reason = null, string? ns = "team") =>
        new(id, action, kind, ns, name, outcome, reason, null);

    private static RollbackReport Done(bool dryRun = false)
    {
        var outcome = dryRun ? RollbackOutcomes.Planned : RollbackOutcomes.Done;
        return new RollbackReport
        {
            GeneratedAt = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero),
            DryRun = dryRun,
            PlanSha256 = new string('a', 64),
            Items =
            [
                new RollbackItemOutcome("team", "llama", dryRun ? RollbackOutcomes.Planned : RollbackOutcomes.RolledBack, null,
                [
                    Step("team/llama#1", RollbackActions.DeleteReplacement, "InferenceService", "llama-raw", outcome),
                    Step("team/llama#2", RollbackActions.RecreateOriginal, "ServingRuntime", "vllm", dryRun ? outcome : RollbackOutcomes.AlreadyDone),
                    Step("team/llama#3", RollbackActions.RecreateOriginal, "InferenceService", "llama", outcome),
                    Step("team/llama#4", RollbackActions.RecreateOriginal, "Secret", "default-token-llama", outcome),
                    Step("team/llama#5", RollbackActions.RestoreLabel, "Namespace", "team", outcome, ns: null),
                    Step("team/llama#6", RollbackActions.DeleteReplacement, "Route", "llama-raw", RollbackOutcomes.Left, "uid differs from the one apply recorded: not ours"),
                ]),
                new RollbackItemOutcome("team", "kept", dryRun ? RollbackOutcomes.Planned : RollbackOutcomes.RolledBack, null,
                [
                    Step("team/kept#1", RollbackActions.DeleteReplacement, "InferenceService", "kept-raw", outcome),
                    Step("team/kept#2", RollbackActions.ResumeOriginal, "InferenceService", "kept", outcome),
                ]),
                new RollbackItemOutcome("team", "<mm>", RollbackOutcomes.Refused, $"ModelMesh is Removed in the DSC; see https://reader:{Password}@docs.example.com <b>", []),
            ],
            Cluster = [Step("cluster#1", RollbackActions.RestoreCluster, "DataScienceCluster", "default-dsc", outcome, ns: null)],
        };
    }

    private static List<ReportBlock> Section(RollbackReport? report, RollbackPlan? plan = null)
    {
        var blocks = new List<ReportBlock>();
        RollbackReportSection.Add(report, plan, blocks);
        return blocks;
    }

    [Fact]
    public void A_done_rollback_lists_per_item_recreated_deleted_restored_left_and_refused_and_the_dsc_restore()
    {
        var blocks = Section(Done());

        Assert.Equal(new HeadingBlock(2, "Rollback", "rollback"), blocks[0]);
        var summary = Assert.IsType<ParagraphBlock>(blocks[1]).Text;
        Assert.StartsWith("Done 2026-12-07 03:00:00 UTC for rollback-plan.json sha256 " + new string('a', 64), summary, StringComparison.Ordinal);
        Assert.Contains("1 refused, 2 rolled-back", summary, StringComparison.Ordinal);

        var table = Assert.IsType<TableBlock>(blocks.Single(b => b is TableBlock));
        Assert.Equal(["InferenceService", "Status", "Originals recreated", "Replacements deleted", "Labels restored", "Originals resumed", "Refused, left or failed"], table.Headers);
        Assert.Equal(
            ["team/llama", "rolled-back", "ServingRuntime team/vllm (already done), InferenceService team/llama, Secret team/default-token-llama",
             "InferenceService team/llama-raw", "Namespace team", "-",
             "delete-replacement Route team/llama-raw left: uid differs from the one apply recorded: not ours"],
            table.Rows[0]);
        Assert.Equal(["team/kept", "rolled-back", "-", "InferenceService team/kept-raw", "-", "InferenceService team/kept", "-"], table.Rows[1]);
        Assert.Equal("refused", table.Rows[2][1]);
        Assert.StartsWith("refused: ModelMesh is Removed in the DSC", table.Rows[2][6], StringComparison.Ordinal);

        Assert.Contains(blocks, b => b is HeadingBlock { Text: "Refused" });
        var lists = blocks.OfType<ListBlock>().SelectMany(l => l.Items).ToList();
        Assert.Contains(lists, l => l.StartsWith("team/<mm>: ModelMesh is Removed in the DSC", StringComparison.Ordinal));
        Assert.Contains("DataScienceCluster default-dsc: restored", lists);
    }

    [Fact]
    public void A_dry_run_says_so_and_marks_each_step_as_what_would_happen()
    {
        var blocks = Section(Done(dryRun: true));

        Assert.StartsWith("Dry run (server-side, nothing changed)", Assert.IsType<ParagraphBlock>(blocks[1]).Text, StringComparison.Ordinal);
        var row = Assert.IsType<TableBlock>(blocks.Single(b => b is TableBlock)).Rows[0];
        Assert.Equal("planned", row[1]);
        Assert.Equal("InferenceService team/llama-raw (dry run)", row[3]);
        Assert.Contains("DataScienceCluster default-dsc: would be restored (dry run)", blocks.OfType<ListBlock>().SelectMany(l => l.Items));
    }

    [Fact]
    public void A_plan_that_was_never_carried_out_says_nothing_was_rolled_back_and_lists_refusals()
    {
        var plan = new RollbackPlan
        {
            Items =
            [
                new RollbackPlanItem { Namespace = "team", Name = "llama", Steps = [new RollbackStep { Action = RollbackActions.DeleteReplacement }, new RollbackStep { Action = RollbackActions.RecreateOriginal }] },
                new RollbackPlanItem { Namespace = "team", Name = "mm", Refusal = "ModelMesh is Removed in the DSC" },
            ],
            Cluster = [new RollbackStep { Action = RollbackActions.RestoreCluster, Kind = "DSCInitialization", Name = "default-dsci" }],
        };
        var blocks = Section(null, plan);

        Assert.Contains("nothing has been rolled back yet", Assert.IsType<ParagraphBlock>(blocks[1]).Text, StringComparison.Ordinal);
        Assert.Equal(["team/llama: 2 step(s) planned (delete-replacement 1, recreate-original 1)", "team/mm: refused: ModelMesh is Removed in the DSC"], Assert.IsType<ListBlock>(blocks[2]).Items);
        Assert.Equal("Cluster restores planned: DSCInitialization default-dsci", Assert.IsType<ParagraphBlock>(blocks[3]).Text);
    }

    [Fact]
    public void Without_rollback_documents_there_is_no_section()
    {
        Assert.Empty(Section(null));
    }

    [Fact]
    public async Task The_report_files_show_the_rollback_escaped_and_without_credentials()
    {
        _ws.Add("team", "llama", "side-by-side", [Isvc("team", "llama-raw", "RawDeployment")], Isvc("team", "llama", uid: "u-llama"));
        await _ws.WriteAsync();
        var model = await ReportLoader.LoadAsync(_ws.Layout);
        Assert.DoesNotContain("Rollback", MarkdownReport.Render(model), StringComparison.Ordinal);

        await WorkspaceDocuments.WriteAsync(_ws.Layout.Rollback, Done(), RollbackReportJsonContext.Default.RollbackReport, TestContext.Current.CancellationToken);
        model = await ReportLoader.LoadAsync(_ws.Layout);
        var markdown = MarkdownReport.Render(model);
        var html = HtmlReport.Render(model);

        Assert.Contains("## Rollback", markdown, StringComparison.Ordinal);
        Assert.Contains("default-token-llama", markdown, StringComparison.Ordinal);
        Assert.Contains("Rollback</h2>", html, StringComparison.Ordinal);
        Assert.Contains("team/&lt;mm&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<mm>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_rollback_document_is_a_note_not_a_failed_report()
    {
        _ws.Add("team", "llama", "side-by-side", [Isvc("team", "llama-raw", "RawDeployment")], Isvc("team", "llama", uid: "u-llama"));
        await _ws.WriteAsync();
        await File.WriteAllTextAsync(_ws.Layout.Rollback, "{ not json", TestContext.Current.CancellationToken);

        var model = await ReportLoader.LoadAsync(_ws.Layout);

        Assert.Null(model.Rollback);
        Assert.Contains(model.Notes, n => n.StartsWith("rollback.json: not valid JSON", StringComparison.Ordinal));
    }
}
