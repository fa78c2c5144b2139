using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Tests.Reporting;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Commands;

public sealed class ProgressRendererTests
{
    [Fact]
    public void Not_on_a_terminal_every_event_is_one_plain_timestamped_line()
    {
        using var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, interactive: false);

        renderer.Report(new ProgressEvent("transform", null, "building RawDeployment manifests"));
        renderer.Report(new ProgressEvent("transform", "ml-team/a", "side-by-side -> ml-team/a-raw", 1, 2));
        renderer.Report(new ProgressEvent("transform", null, "planned 2 of 2", StageFinished: true));

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z transform ", l));
        Assert.EndsWith("transform 1/2 ml-team/a: side-by-side -> ml-team/a-raw", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void On_a_terminal_item_lines_are_rewritten_in_place()
    {
        using var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, interactive: true);

        renderer.Report(new ProgressEvent("export", "ns/long-name", "5 file(s) saved", 1, 2));
        renderer.Report(new ProgressEvent("export", "ns/b", "2 file(s) saved", 2, 2));
        renderer.Report(new ProgressEvent("export", null, "exported 2", StageFinished: true));

        const string first = "export 1/2 ns/long-name: 5 file(s) saved";
        const string second = "export 2/2 ns/b: 2 file(s) saved";
        const string done = "export exported 2";
        var expected = "\r" + first
            + "\r" + second.PadRight(first.Length)
            + "\r" + done.PadRight(second.Length) + "\n";
        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public async Task The_planning_chain_reports_every_stage_and_every_isvc()
    {
        var progress = new MemoryProgressSink();
        using var ws = await ReportTestWorkspaces.ServerlessAsync(progress);

        var events = progress.Events;
        Assert.Equal(["discover", "export", "transform"], events.Where(e => e.StageFinished).Select(e => e.Stage));
        Assert.Equal(
            ["ml-team/churn-internal", "ml-team/churn-v2", "ml-team/credit-scoring"],
            events.Where(e => e.Stage == "transform" && e.Item is not null).Select(e => e.Item));
        Assert.All(events.Where(e => e.Item is not null), e => Assert.True(e.Done >= 1 && e.Done <= e.Total));
    }
}
