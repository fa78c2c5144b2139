using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Reporting;

/// <summary>Approvers and readers of report.md see the waves: which ISVCs, what they request, the flags and the arithmetic.</summary>
public sealed class WaveReportTests
{
    private static Plan WavedPlan() => new()
    {
        Options = new PlanOptions { Waves = "auto" },
        Items =
        [
            new PlanItem { Namespace = "team", Name = "llama", Strategy = "side-by-side", SourceMode = "Serverless", TargetNamespace = "team", TargetName = "llama-raw", Wave = 1 },
            new PlanItem { Namespace = "team", Name = "granite", Strategy = "side-by-side", SourceMode = "Serverless", TargetNamespace = "team", TargetName = "granite-raw", Wave = 2 },
        ],
        Waves =
        [
            new PlanWave { Number = 1, Items = ["team/llama"], Demand = new() { ["nvidia.com/gpu"] = 1m, ["cpu"] = 2m }, CleanupBeforeNextWave = true, Arithmetic = ["nvidia.com/gpu: free 1 (pool NVIDIA-A10G) - wave 1 = 0"] },
            new PlanWave { Number = 2, Items = ["team/granite"], Demand = new() { ["nvidia.com/gpu"] = 1m }, Arithmetic = ["nvidia.com/gpu: free 0 + 1 freed by cleanup of wave 1 - wave 2 = 0"] },
        ],
    };

    [Fact]
    public void The_report_has_a_waves_section_with_items_requests_flags_and_arithmetic()
    {
        var blocks = new List<ReportBlock>();
        WaveReport.Add(WavedPlan(), blocks);

        Assert.Equal(new HeadingBlock(2, "Waves", "waves"), blocks[0]);
        var table = Assert.IsType<TableBlock>(blocks.Single(b => b is TableBlock));
        Assert.Equal(["1", "team/llama", "cpu 2, nvidia.com/gpu 1", "no", "yes"], table.Rows[0]);
        Assert.Equal(["2", "team/granite", "nvidia.com/gpu 1", "no", "no"], table.Rows[1]);
        var arithmetic = blocks.OfType<ListBlock>().SelectMany(l => l.Items).ToList();
        Assert.Contains("nvidia.com/gpu: free 1 (pool NVIDIA-A10G) - wave 1 = 0", arithmetic);
        Assert.Contains("nvidia.com/gpu: free 0 + 1 freed by cleanup of wave 1 - wave 2 = 0", arithmetic);
    }

    [Fact]
    public void A_plan_without_waves_adds_nothing_to_the_report_or_the_gate()
    {
        var blocks = new List<ReportBlock>();
        var plan = WavedPlan() with { Waves = null, Items = [.. WavedPlan().Items.Select(i => i with { Wave = null })] };
        WaveReport.Add(plan, blocks);

        Assert.Empty(blocks);
        Assert.Null(WaveReport.GateLine(plan));
        Assert.DoesNotContain("wave", GateSummary.ForPlan(plan), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_plan_gate_names_the_waves_and_each_items_wave()
    {
        var lines = GateSummary.ForPlan(WavedPlan()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("2 planned, 0 refused", lines[0]);
        Assert.Equal("2 waves (--waves auto): wave 1: 1 ISVC(s), clean up before next; wave 2: 1 ISVC(s)", lines[1]);
        Assert.StartsWith("- [wave 1] team/llama: side-by-side", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("- [wave 2] team/granite: side-by-side", lines[3], StringComparison.Ordinal);
    }
}
