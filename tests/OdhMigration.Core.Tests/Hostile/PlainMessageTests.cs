using System.Net.Http;
using System.Text.RegularExpressions;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>
/// The published tools carry no runtime message texts (UseSystemResourceKeys), so a system exception's message is a
/// bare resource key. Whatever an engine records from an exception (export.json, the ledger, logs) must be the
/// tool's own sentence, never the key.
/// </summary>
public sealed partial class PlainMessageTests
{
    private const string FileExistsKey = "IO_FileExists_Name";
    private const string ConnectionKey = "net_http_client_execution_error";

    [Fact]
    public async Task Export_records_a_plain_sentence_for_a_file_system_fault_with_a_resource_key_message()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = new TempWorkspace();
        string[] project = [Namespace("p"), Dsci(), Dsc(), ConfigMap("Serverless"), Runtime("ovms", "p"), Isvc("m", "p", runtime: "ovms")];
        var log = new MemoryStageLog();
        await new DiscoverEngine(Snapshot(project), log).RunAsync(new DiscoverOptions { Namespaces = ["p"], SkipPreflight = true }, ws.Layout, ct);
        var faulty = new InMemoryCluster
        {
            Fault = (verb, kind, ns, _) => verb == "list" && kind == "Secret" && ns == "p" ? new IOException($"{FileExistsKey}, /ws/p/m") : null,
        };
        faulty.Seed([.. SnapshotLoader.FromDocuments(Yaml.ParseDocuments(string.Join("\n---\n", project), "test.yaml")).Select(o => o.Object)]);

        var outcome = await new ExportEngine(faulty, log).RunAsync(new ExportOptions(), ws.Layout, ct);

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var (report, _) = await WorkspaceDocuments.ReadExportAsync(ws.Layout, ct);
        var error = Assert.Single(report.Items).Error;
        Assert.Contains("/ws/p/m: a file already exists", error, StringComparison.Ordinal);
        AssertNoResourceKey(error);
        AssertNoResourceKey(await File.ReadAllTextAsync(ws.Layout.Export, ct));
        Assert.All(log.Lines, l => AssertNoResourceKey(l.Message));
    }

    [Fact]
    public async Task Apply_records_a_plain_sentence_in_the_ledger_for_a_dropped_connection_with_a_resource_key_message()
    {
        using var ws = new PlanWorkspace();
        var cluster = new InMemoryCluster();
        var log = new MemoryStageLog();
        cluster.Seed(PlanWorkspace.Isvc("ns1", "m1"));
        ws.Add("ns1", "m1", "side-by-side", [PlanWorkspace.Runtime("ns1", "rt-raw"), PlanWorkspace.Isvc("ns1", "m1-raw", "RawDeployment", "rt-raw")]);
        await ws.WriteAsync();
        cluster.Fault = (verb, kind, _, _) => verb == "create" && kind == "InferenceService"
            ? new HttpRequestException(ConnectionKey, new IOException("net_io_connectionreset"))
            : null;

        var options = new ApplyOptions { Retry = RetryPolicy.Immediate(), PollInterval = TimeSpan.FromMilliseconds(5), DeleteTimeout = TimeSpan.FromSeconds(2) };
        var outcome = await new ApplyEngine(cluster, log).RunAsync(options, ws.Layout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var item = Assert.Single((await LedgerStore.LoadAsync(ws.Layout))!.Items);
        Assert.Contains("the request to the server failed", item.Error, StringComparison.Ordinal);
        AssertNoResourceKey(item.Error);
        AssertNoResourceKey(await File.ReadAllTextAsync(ws.Layout.Ledger, TestContext.Current.CancellationToken));
        Assert.All(log.Lines, l => AssertNoResourceKey(l.Message));
    }

    private static void AssertNoResourceKey(string? text)
    {
        var keys = ResourceKeyShape().Matches(text ?? "").Select(m => m.Value).ToList();
        Assert.True(keys.Count == 0, $"resource key(s) {string.Join(", ", keys)} in: {text}");
    }

    // A runtime resource key: letters with underscores (IO_FileExists_Name, net_http_client_execution_error).
    [GeneratedRegex(@"(?<![\w/.-])[A-Za-z]+_[A-Za-z_]+(?![\w/.-])")]
    private static partial Regex ResourceKeyShape();
}
